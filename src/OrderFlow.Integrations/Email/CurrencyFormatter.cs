using System.Globalization;
using OrderFlow.Domain.Common;

namespace OrderFlow.Integrations.Email;

/// <summary>
/// Writes money for customers: the culture's currency pattern and separators, the currency's own number of decimals
/// (<see cref="Currencies.Exponent"/>), and a symbol that cannot be mistaken for another currency. The amount is built
/// exactly from minor units (no floating point, no division).
/// </summary>
public static class CurrencyFormatter
{
    // Symbols used when the currency is not the one of the culture's region (CLDR's international forms).
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["USD"] = "US$", ["EUR"] = "€", ["GBP"] = "£", ["JPY"] = "¥", ["CNY"] = "CN¥", ["INR"] = "₹", ["KRW"] = "₩",
        ["CAD"] = "CA$", ["AUD"] = "A$", ["NZD"] = "NZ$", ["HKD"] = "HK$", ["MXN"] = "MX$", ["BRL"] = "R$",
        ["ILS"] = "₪", ["VND"] = "₫", ["TWD"] = "NT$", ["PHP"] = "₱",
    };

    /// <summary>E.g. 1250 USD in en-US: "$12.50"; 1500 JPY in en-US: "¥1,500"; 1250 EUR in de-DE: "12,50 €".</summary>
    public static string Format(Money money, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var exponent = Currencies.Exponent(money.Currency);
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencySymbol = SymbolFor(money.Currency, culture);
        format.CurrencyDecimalDigits = exponent;
        // "CHF12.50" reads badly: a symbol whose letter touches the number gets a space ("US$" and "€" do not).
        var letterBefore = char.IsLetter(format.CurrencySymbol[^1]);
        var letterAfter = char.IsLetter(format.CurrencySymbol[0]);
        format.CurrencyPositivePattern = format.CurrencyPositivePattern switch
        {
            0 when letterBefore => 2,
            1 when letterAfter => 3,
            var p => p,
        };
        format.CurrencyNegativePattern = format.CurrencyNegativePattern switch
        {
            0 when letterBefore => 14,
            1 when letterBefore => 9,
            2 when letterBefore => 12,
            3 when letterBefore => 11,
            4 when letterAfter => 15,
            5 when letterAfter => 8,
            6 when letterAfter => 13,
            7 when letterAfter => 10,
            var p => p,
        };

        return Exact(money.MinorUnits, exponent).ToString("C", format);
    }

    private static string SymbolFor(string currency, CultureInfo culture)
    {
        if (!culture.IsNeutralCulture && !culture.Equals(CultureInfo.InvariantCulture))
        {
            try
            {
                if (string.Equals(new RegionInfo(culture.Name).ISOCurrencySymbol, currency, StringComparison.Ordinal))
                {
                    return culture.NumberFormat.CurrencySymbol;
                }
            }
            catch (ArgumentException)
            {
                // A culture without a region: fall through to the international symbol.
            }
        }

        return Symbols.TryGetValue(currency, out var symbol) ? symbol : currency;
    }

    /// <summary>minorUnits x 10^-exponent as a decimal, built from its parts.</summary>
    private static decimal Exact(long minorUnits, int exponent)
    {
        var magnitude = minorUnits < 0 ? (ulong)(-(minorUnits + 1)) + 1 : (ulong)minorUnits;
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, minorUnits < 0, (byte)exponent);
    }
}
