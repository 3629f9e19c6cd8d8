using System.Collections.Frozen;
using System.Text.RegularExpressions;
using OrderFlow.Domain.Orders;
using PhoneNumbers;

namespace OrderFlow.Domain.Validation;

/// <summary>
/// Country-specific address rules: postal code format, required and known subdivisions (state/province), and a phone
/// number that can exist in the country. Each failure names the field and the rule, never the value the customer typed
/// (messages reach the order timeline, cases and approver alerts).
/// </summary>
public static partial class AddressRules
{
    /// <summary>Postal code patterns by ISO 3166-1 alpha-2 country (upper-cased input); other countries need a non-empty code.</summary>
    public static IReadOnlyDictionary<string, Regex> PostalCodeFormats { get; } = new Dictionary<string, Regex>(StringComparer.Ordinal)
    {
        ["US"] = UsZip(),
        ["CA"] = CanadaPostalCode(),
        ["GB"] = UkPostcode(),
        ["DE"] = FiveDigits(),
        ["FR"] = FiveDigits(),
        ["IT"] = FiveDigits(),
        ["ES"] = FiveDigits(),
        ["NL"] = DutchPostcode(),
        ["BE"] = FourDigits(),
        ["AT"] = FourDigits(),
        ["CH"] = FourDigits(),
        ["AU"] = FourDigits(),
        ["JP"] = JapanPostalCode(),
        ["IN"] = IndiaPin(),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Countries whose addresses need a subdivision (state, province, territory).</summary>
    public static IReadOnlyDictionary<string, FrozenSet<string>> SubdivisionCodes { get; } = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal)
    {
        // 50 states, DC, the inhabited territories, and the armed forces "states" (AA, AE, AP) USPS delivers to.
        ["US"] = FrozenSet.ToFrozenSet(
        [
            "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
            "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
            "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR", "VI", "GU", "AS", "MP", "UM", "AA", "AE", "AP",
        ], StringComparer.Ordinal),
        ["CA"] = FrozenSet.ToFrozenSet(["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"], StringComparer.Ordinal),
        ["AU"] = FrozenSet.ToFrozenSet(["ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"], StringComparer.Ordinal),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>Adds the country-specific failures of <paramref name="address"/>; the country code itself is checked by the caller.</summary>
    public static void Validate(Address address, ICollection<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(errors);
        var country = (address.CountryCode ?? string.Empty).Trim().ToUpperInvariant();
        ValidatePostalCode(address.PostalCode, country, errors);
        ValidateSubdivision(address.Province, country, errors);
        ValidatePhone(address.Phone, country, errors);
    }

    private static void ValidatePostalCode(string? postalCode, string country, ICollection<ValidationError> errors)
    {
        // An empty code is reported by the "required" rule already.
        if (string.IsNullOrWhiteSpace(postalCode) || !PostalCodeFormats.TryGetValue(country, out var format))
        {
            return;
        }

        if (!format.IsMatch(postalCode.Trim().ToUpperInvariant()))
        {
            errors.Add(new("shippingAddress.postalCode", "postalCodeFormat", $"shippingAddress.postalCode does not match the postal code format of {country}."));
        }
    }

    private static void ValidateSubdivision(string? province, string country, ICollection<ValidationError> errors)
    {
        if (!SubdivisionCodes.TryGetValue(country, out var codes))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(province))
        {
            errors.Add(new("shippingAddress.province", "required", $"shippingAddress.province is required: addresses in {country} need a state or province."));
        }
        else if (!codes.Contains(province.Trim().ToUpperInvariant()))
        {
            errors.Add(new("shippingAddress.province", "subdivisionCode", $"shippingAddress.province is not a state or province code of {country}."));
        }
    }

    private static void ValidatePhone(string? phone, string country, ICollection<ValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return;
        }

        // Without a known country, only numbers in international form (+...) can be read.
        var region = country.Length == 2 && Phones.GetCountryCodeForRegion(country) != 0 ? country : "ZZ";
        try
        {
            var number = Phones.Parse(phone, region);
            if (!Phones.IsPossibleNumber(number))
            {
                errors.Add(new("shippingAddress.phone", "phonePossible", $"shippingAddress.phone has a length that cannot be a phone number in {Phones.GetRegionCodeForNumber(number) ?? region}."));
            }
        }
        catch (NumberParseException ex)
        {
            errors.Add(new("shippingAddress.phone", "phoneFormat", $"shippingAddress.phone is not a phone number ({ex.ErrorType})."));
        }
    }

    [GeneratedRegex(@"^\d{5}(-\d{4})?$", RegexOptions.CultureInvariant)]
    private static partial Regex UsZip();

    // Letters D, F, I, O, Q, U never appear; W and Z never lead.
    [GeneratedRegex(@"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$", RegexOptions.CultureInvariant)]
    private static partial Regex CanadaPostalCode();

    [GeneratedRegex(@"^([A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|GIR ?0AA)$", RegexOptions.CultureInvariant)]
    private static partial Regex UkPostcode();

    [GeneratedRegex(@"^\d{5}$", RegexOptions.CultureInvariant)]
    private static partial Regex FiveDigits();

    [GeneratedRegex(@"^\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex FourDigits();

    [GeneratedRegex(@"^[1-9]\d{3} ?[A-Z]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DutchPostcode();

    [GeneratedRegex(@"^\d{3}-?\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex JapanPostalCode();

    [GeneratedRegex(@"^[1-9]\d{2} ?\d{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex IndiaPin();
}
