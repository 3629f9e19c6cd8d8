using System.Globalization;

namespace OrderFlow.Domain.Common;

/// <summary>ISO 4217 helpers: code validation, minor-unit exponent and parsing of decimal strings from providers.</summary>
public static class Currencies
{
    // Currencies whose minor unit is not 1/100. Everything else uses 2 decimals.
    private static readonly Dictionary<string, int> Exponents = new(StringComparer.Ordinal)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0,
        ["KRW"] = 0, ["PYG"] = 0, ["RWF"] = 0, ["UGX"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0,
        ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
    };

    public static bool IsValidCode(string? code) =>
        code is { Length: 3 } && code.All(c => c is >= 'A' and <= 'Z');

    public static int Exponent(string currency) => Exponents.TryGetValue(currency, out var e) ? e : 2;

    /// <summary>
    /// Parses a provider's decimal string ("12.30") into minor units exactly; rejects more decimals than the currency has.
    /// </summary>
    public static bool TryParseMinorUnits(string? text, string currency, out long minorUnits)
    {
        minorUnits = 0;
        if (string.IsNullOrWhiteSpace(text) || !IsValidCode(currency))
        {
            return false;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        decimal scaled;
        try
        {
            scaled = value * Pow10(Exponent(currency));
        }
        catch (OverflowException)
        {
            // e.g. 79228162514264337593543950335 (decimal.MaxValue) in a currency with cents.
            return false;
        }

        if (scaled != decimal.Truncate(scaled) || scaled > long.MaxValue || scaled < long.MinValue)
        {
            return false;
        }

        minorUnits = (long)scaled;
        return true;
    }

    /// <summary>The exact decimal amount of <paramref name="money"/> ("12.30" for 1230 USD cents), as providers' APIs take it.</summary>
    public static decimal ToDecimal(Money money) => money.MinorUnits / Pow10(Exponent(money.Currency));

    public static string Format(long minorUnits, string currency)
    {
        var exponent = Exponent(currency);
        var value = minorUnits / Pow10(exponent);
        return value.ToString("F" + exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " " + currency;
    }

    private static decimal Pow10(int exponent)
    {
        decimal result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }
}
