using System.Globalization;
using OrderFlow.Domain.Common;

namespace OrderFlow.Integrations.Accounting;

/// <summary>Exact conversion between Money (integer minor units) and the decimal amounts QuickBooks reads and writes.</summary>
public static class QuickBooksAmounts
{
    public static decimal ToDecimal(Money money) => Currencies.ToDecimal(money);

    /// <summary>Reads an amount QuickBooks sent; more decimals than the currency has is an error, never rounded away.</summary>
    public static Money ToMoney(decimal amount, string currency)
    {
        if (!Currencies.TryParseMinorUnits(amount.ToString(CultureInfo.InvariantCulture), currency, out var minor))
        {
            throw new InvalidDataException($"QuickBooks amount {amount.ToString(CultureInfo.InvariantCulture)} is not an exact {currency} amount.");
        }

        return new Money(minor, currency);
    }
}
