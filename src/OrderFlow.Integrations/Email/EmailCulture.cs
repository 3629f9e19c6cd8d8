using System.Globalization;
using OrderFlow.Workflows.Notifications;

namespace OrderFlow.Integrations.Email;

/// <summary>Chooses the culture amounts and dates of a customer email are written in.</summary>
public static class EmailCulture
{
    /// <summary>True when <paramref name="name"/> is a known specific culture (language and region), e.g. "en-US".</summary>
    public static bool TryGetSpecific(string? name, out CultureInfo culture)
    {
        culture = CultureInfo.InvariantCulture;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        try
        {
            var found = CultureInfo.GetCultureInfo(name.Trim(), predefinedOnly: true);
            if (found.IsNeutralCulture || found.Equals(CultureInfo.InvariantCulture))
            {
                return false;
            }

            culture = found;
            return true;
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// The customer's locale when it is valid and shares the store's language (the templates are written in the
    /// store's language, so a French number format inside English sentences would read oddly); otherwise the store's.
    /// </summary>
    public static CultureInfo Resolve(string? customerLocale, string storeLocale)
    {
        if (!TryGetSpecific(storeLocale, out var store))
        {
            store = CultureInfo.GetCultureInfo(StoreOptions.DefaultLocale);
        }

        return TryGetSpecific(customerLocale, out var customer)
            && string.Equals(customer.TwoLetterISOLanguageName, store.TwoLetterISOLanguageName, StringComparison.Ordinal)
            ? customer
            : store;
    }
}
