namespace OrderFlow.Integrations.Email.Templates;

/// <summary>Branding and support paths (<c>store.*</c>); logo and phone are empty when not configured.</summary>
public sealed record StoreModel(
    string Name,
    string Language,
    string LogoUrl,
    string PrimaryColor,
    string SupportEmail,
    string SupportPhone,
    string SupportPhoneHref,
    string HelpUrl);
