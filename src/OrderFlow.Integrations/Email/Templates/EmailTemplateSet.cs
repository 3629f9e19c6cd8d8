using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Fluid;
using Fluid.Values;
using OrderFlow.Workflows.Notifications;

namespace OrderFlow.Integrations.Email.Templates;

/// <summary>
/// The customer email templates: Liquid files (Fluid engine) shipped as embedded resources next to this class.
/// Each template is three files, <c>{name}.subject.liquid</c>, <c>{name}.html.liquid</c> and
/// <c>{name}.text.liquid</c>; files starting with "_" are the two layouts (<c>_layout.html</c>,
/// <c>_layout.text</c>, which add greeting, branding and the support path to every message) and partials for
/// <c>{% include %}</c>. Everything is parsed up front; rendering is strict: an unknown variable, member or filter, or
/// a nil value, fails the render instead of leaving a blank. HTML output encodes every value.
/// </summary>
public sealed partial class EmailTemplateSet
{
    public const string ResourcePrefix = "OrderFlow.Integrations.Email.Templates.";
    public const string FileExtension = ".liquid";
    public const string HtmlLayout = "_layout.html";
    public const string TextLayout = "_layout.text";

    private static readonly string[] Parts = ["subject", "html", "text"];
    private static readonly FluidParser Parser = new();

    // Values may contain any script; only what HTML needs escaped is escaped (so "¥1,500" stays readable).
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);
    private static readonly Lazy<EmailTemplateSet> EmbeddedSet = new(() => FromSources(ReadEmbeddedSources()));

    private readonly TemplateOptions options;
    private readonly Dictionary<string, IFluidTemplate> parsed;

    private EmailTemplateSet(TemplateOptions options, Dictionary<string, IFluidTemplate> parsed, IReadOnlyList<string> names)
    {
        this.options = options;
        this.parsed = parsed;
        Names = names;
    }

    /// <summary>The templates embedded in this assembly (parsed once).</summary>
    public static EmailTemplateSet Embedded => EmbeddedSet.Value;

    /// <summary>Template names, e.g. "order-confirmed", "shipped" (sorted; no layouts or partials).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The embedded template files: file name (e.g. "shipped.html.liquid") to text.</summary>
    public static IReadOnlyDictionary<string, string> ReadEmbeddedSources()
    {
        var assembly = typeof(EmailTemplateSet).Assembly;
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            sources[resource[ResourcePrefix.Length..]] = reader.ReadToEnd();
        }

        return sources;
    }

    /// <summary>
    /// Parses a set of template files (file name to text). Throws <see cref="EmailTemplateException"/> listing every
    /// file that does not parse, every template missing a part and a missing layout.
    /// </summary>
    public static EmailTemplateSet FromSources(IReadOnlyDictionary<string, string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var errors = new List<string>();
        var parsed = new Dictionary<string, IFluidTemplate>(StringComparer.Ordinal);
        var partials = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, text) in sources.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (!file.EndsWith(FileExtension, StringComparison.Ordinal))
            {
                errors.Add($"{file}: template files end in {FileExtension}.");
                continue;
            }

            if (Parser.TryParse(text, out var template, out var error))
            {
                parsed[file[..^FileExtension.Length]] = template;
            }
            else
            {
                errors.Add($"{file}: {error}");
            }

            if (file.StartsWith('_'))
            {
                partials[file] = text;
            }
        }

        var names = sources.Keys
            .Where(f => !f.StartsWith('_') && f.EndsWith(FileExtension, StringComparison.Ordinal))
            .Select(f => f[..^FileExtension.Length])
            .Select(f => f.Contains('.', StringComparison.Ordinal) ? f[..f.LastIndexOf('.')] : f)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var name in names)
        {
            foreach (var part in Parts.Where(p => !sources.ContainsKey($"{name}.{p}{FileExtension}")))
            {
                errors.Add($"{name}: {name}.{part}{FileExtension} is missing.");
            }
        }

        foreach (var file in sources.Keys.Where(f => !f.StartsWith('_') && !Parts.Any(p => f.EndsWith($".{p}{FileExtension}", StringComparison.Ordinal))))
        {
            errors.Add($"{file}: a template file is named {{name}}.subject|html|text{FileExtension}.");
        }

        foreach (var layout in new[] { HtmlLayout, TextLayout }.Where(l => !sources.ContainsKey(l + FileExtension)))
        {
            errors.Add($"{layout}{FileExtension} is missing.");
        }

        if (errors.Count > 0)
        {
            throw new EmailTemplateException("Customer email templates are invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        return new EmailTemplateSet(CreateOptions(partials), parsed, names);
    }

    /// <summary>Renders one template with its layout. Throws <see cref="EmailTemplateException"/> on unknown data.</summary>
    public EmailContent Render(string template, EmailModel model, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(culture);
        if (!Names.Contains(template, StringComparer.Ordinal))
        {
            throw new EmailTemplateException($"No email template '{template}'. Known templates: {string.Join(", ", Names)}.");
        }

        var subject = OneLine(RenderPart($"{template}.subject", model, culture, NullEncoder.Default, null, null));
        var textBody = RenderPart($"{template}.text", model, culture, NullEncoder.Default, null, null);
        var text = TidyText(RenderPart(TextLayout, model, culture, NullEncoder.Default, textBody, subject));
        var htmlBody = RenderPart($"{template}.html", model, culture, Html, null, null);
        var html = TidyHtml(RenderPart(HtmlLayout, model, culture, Html, htmlBody, subject));
        return new EmailContent(subject, text, html);
    }

    private static TemplateOptions CreateOptions(IReadOnlyDictionary<string, string> partials)
    {
        var options = new TemplateOptions
        {
            StrictVariables = true,
            StrictFilters = true,
            FileProvider = new TemplateFileProvider(partials),
        };
        options.MemberAccessStrategy.MemberNameStrategy = MemberNameStrategies.SnakeCase;
        options.MemberAccessStrategy.Register<EmailModel>();
        options.MemberAccessStrategy.Register<StoreModel>();
        options.MemberAccessStrategy.Register<CustomerModel>();
        options.MemberAccessStrategy.Register<OrderModel>();
        options.MemberAccessStrategy.Register<LineModel>();
        options.MemberAccessStrategy.Register<AmountModel>();
        options.MemberAccessStrategy.Register<ItemModel>();
        options.MemberAccessStrategy.Register<ShipmentModel>();
        options.MemberAccessStrategy.Register<DetailsModel>();
        return options;
    }

    private string RenderPart(string part, EmailModel model, CultureInfo culture, TextEncoder encoder, string? content, string? subject)
    {
        var context = new TemplateContext(model, options) { CultureInfo = culture };
        if (content is not null)
        {
            // Already rendered (and, for HTML, encoded) by the body template: inserted as is.
            context.SetValue("content", new StringValue(content, encode: false));
            context.SetValue("subject", subject ?? string.Empty);
        }

        try
        {
            return parsed[part].Render(context, encoder);
        }
        catch (Exception ex) when (ex is FluidException or InvalidOperationException or ArgumentException)
        {
            throw new EmailTemplateException($"Email template {part}{FileExtension} failed to render: {ex.Message}", ex);
        }
    }

    private static string OneLine(string text) => Whitespace().Replace(text, " ").Trim();

    /// <summary>Trailing spaces off, at most one blank line in a row, one final newline.</summary>
    private static string TidyText(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd());
        return BlankLines().Replace(string.Join('\n', lines), "\n\n").Trim('\n') + Environment.NewLine;
    }

    private static string TidyHtml(string html) =>
        string.Join('\n', html.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0)) + Environment.NewLine;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();
}
