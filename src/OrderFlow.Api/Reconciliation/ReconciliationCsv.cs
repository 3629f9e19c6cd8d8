using System.Globalization;
using System.Text;
using OrderFlow.Api.Csv;
using OrderFlow.Domain.Common;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Api.Reconciliation;

/// <summary>
/// A report as one CSV table (RFC 4180): a row per total (category and currency), per mismatch and per skipped order,
/// told apart by row_type. Amounts are decimal in the row's currency. Text cells that a spreadsheet would run as a
/// formula (= + - @) are prefixed with an apostrophe.
/// </summary>
public static class ReconciliationCsv
{
    public const string Header = "row_type,category,order_id,subject,currency,count,expected,actual,difference,case_id,note";

    public static string Write(ReconciliationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new StringBuilder(Header).Append("\r\n");
        foreach (var t in report.Totals)
        {
            Row(csv, "total", t.Category, "", "", t.Currency, N(t.Count),
                Amount(t.ExpectedMinorUnits, t.Currency), Amount(t.ActualMinorUnits, t.Currency), Amount(t.ActualMinorUnits - t.ExpectedMinorUnits, t.Currency), "", "");
        }

        foreach (var m in report.Mismatches)
        {
            var sameCurrency = m.Expected.Currency == m.Actual.Currency;
            Row(csv, "mismatch", m.Kind.ToString(), m.OrderId, m.Subject, m.Expected.Currency, "1",
                Amount(m.Expected), sameCurrency ? Amount(m.Actual) : $"{Amount(m.Actual)} {m.Actual.Currency}",
                sameCurrency ? Amount(m.Actual - m.Expected) : "", m.CaseId, m.Explanation);
        }

        foreach (var s in report.Skips)
        {
            Row(csv, "skipped", "Skipped", s.OrderId, "", "", "", "", "", "", "", s.Reason);
        }

        return csv.ToString();
    }

    private static void Row(StringBuilder csv, params string[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            csv.Append(CsvText.Cell(cells[i], numeric: i is 5 or 6 or 7 or 8));
        }

        csv.Append("\r\n");
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Amount(Money money) => Amount(money.MinorUnits, money.Currency);

    /// <summary>Minor units as a plain decimal in the currency's exponent ("-12.50", "700" for JPY).</summary>
    private static string Amount(long minorUnits, string currency)
    {
        var exponent = Currencies.Exponent(currency);
        return (minorUnits / (decimal)Math.Pow(10, exponent)).ToString("F" + exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
