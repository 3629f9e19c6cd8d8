namespace OrderFlow.Domain.Common;

/// <summary>An amount of money as integer minor units (cents, pence, yen) plus an ISO 4217 currency code.</summary>
public readonly record struct Money
{
    public Money(long minorUnits, string currency)
    {
        if (!Currencies.IsValidCode(currency))
        {
            throw new ArgumentException($"'{currency}' is not an ISO 4217 currency code (three upper-case letters).", nameof(currency));
        }

        MinorUnits = minorUnits;
        Currency = currency;
    }

    /// <summary>Amount in minor units of <see cref="Currency"/>.</summary>
    public long MinorUnits { get; init; }

    /// <summary>ISO 4217 code, e.g. USD.</summary>
    public string Currency { get; init; }

    public static Money Zero(string currency) => new(0, currency);

    public static Money operator +(Money a, Money b)
    {
        EnsureSameCurrency(a, b);
        return new Money(checked(a.MinorUnits + b.MinorUnits), a.Currency);
    }

    public static Money operator -(Money a, Money b)
    {
        EnsureSameCurrency(a, b);
        return new Money(checked(a.MinorUnits - b.MinorUnits), a.Currency);
    }

    public Money Times(int quantity) => new(checked(MinorUnits * quantity), Currency);

    public bool IsNegative => MinorUnits < 0;

    /// <summary>Formats as e.g. "12.34 USD" using the currency's exponent.</summary>
    public override string ToString() => Currencies.Format(MinorUnits, Currency);

    private static void EnsureSameCurrency(Money a, Money b)
    {
        if (!string.Equals(a.Currency, b.Currency, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Cannot combine {a.Currency} with {b.Currency}.");
        }
    }
}
