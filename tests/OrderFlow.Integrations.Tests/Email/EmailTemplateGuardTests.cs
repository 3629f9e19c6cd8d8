using System.Globalization;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Email.Templates;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Email;

/// <summary>
/// A bad template or a missing field fails here, not in a customer's inbox: every embedded file must parse, every
/// template must have its three parts, every milestone must have a template, and every template must render with
/// the strict engine (unknown variable, member or filter, or a nil value, throws) both with every optional value
/// present and with none, so both sides of its conditions run.
/// </summary>
public sealed class EmailTemplateGuardTests
{
    private static readonly string[] Expected =
    [
        "backordered", "cancelled", "delayed", "delivered", "on-hold", "order-confirmed", "out-for-delivery",
        "partially-shipped", "payment-problem", "refunded", "resumed", "return-received", "shipped", "substituted",
    ];

    public static TheoryData<string, bool, bool> TemplatesAndVariants()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var template in Expected)
        {
            data.Add(template, false, true);
            data.Add(template, true, false);
        }

        return data;
    }

    [Fact]
    public void EmbeddedTemplates_AllParseAndEveryTemplateHasSubjectHtmlAndText()
    {
        var sources = EmailTemplateSet.ReadEmbeddedSources();

        var set = EmailTemplateSet.FromSources(sources);

        Assert.Equal(Expected, set.Names);
        Assert.Equal(Expected, CustomerEmailRenderer.TemplateNames);
        Assert.Contains(EmailTemplateSet.HtmlLayout + EmailTemplateSet.FileExtension, sources.Keys);
        Assert.Contains(EmailTemplateSet.TextLayout + EmailTemplateSet.FileExtension, sources.Keys);
        Assert.Equal(Expected.Length * 3, sources.Keys.Count(k => !k.StartsWith('_')));
    }

    [Fact]
    public void EveryMilestone_IsCoveredBySampleOfATemplateThatMapsBackToIt()
    {
        var store = TestStore.Options();
        var covered = new HashSet<Milestone>();
        foreach (var template in Expected)
        {
            var sample = SampleNotifications.For(template, store);
            Assert.Equal(template, CustomerEmailRenderer.TemplateFor(sample.Record, sample.Notification));
            covered.Add(sample.Notification.Milestone);
        }

        Assert.Equal(Enum.GetValues<Milestone>().Order(), covered.Order());
    }

    [Theory]
    [MemberData(nameof(TemplatesAndVariants))]
    public void EveryTemplate_RendersStrictlyWithTheSampleOrder(string template, bool minimal, bool branded)
    {
        var store = TestStore.Options();
        if (branded)
        {
            store.LogoUrl = "https://cdn.shop.example.com/logo.png";
            store.SupportPhone = "+1 212-555-0100";
        }

        var sample = SampleNotifications.For(template, store, minimal);

        var content = CustomerEmailRenderer.Render(sample.Record, sample.Notification, store, TestStore.StatusLinks().LinkFor(sample.Record.Order.OrderId));

        Assert.Contains("#1001", content.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", content.Subject + content.TextBody + content.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("{%", content.Subject + content.TextBody + content.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(minimal ? "Hello," : "Hi Alex,", content.TextBody, StringComparison.Ordinal);
        foreach (var body in new[] { content.TextBody, content.HtmlBody })
        {
            Assert.Contains("support@shop.example.com", body, StringComparison.Ordinal);
            Assert.Contains("https://shop.example.com/help", body, StringComparison.Ordinal);
            Assert.Contains($"https://shop.example.com/orders/{SampleNotifications.OrderId}", body, StringComparison.Ordinal);
        }

        Assert.StartsWith("<!DOCTYPE html>", content.HtmlBody, StringComparison.Ordinal);
        Assert.EndsWith("</html>" + Environment.NewLine, content.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSources_FileThatDoesNotParse_FailsNamingTheFile()
    {
        var sources = Sources();
        sources["shipped.html.liquid"] = "{% if order.number %}never closed";

        var ex = Assert.Throws<EmailTemplateException>(() => EmailTemplateSet.FromSources(sources));

        Assert.Contains("shipped.html.liquid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSources_TemplateMissingAPartOrLayout_FailsNamingWhatIsMissing()
    {
        var sources = Sources();
        sources.Remove("refunded.text.liquid");
        sources.Remove("_layout.html.liquid");

        var ex = Assert.Throws<EmailTemplateException>(() => EmailTemplateSet.FromSources(sources));

        Assert.Contains("refunded.text.liquid is missing", ex.Message, StringComparison.Ordinal);
        Assert.Contains("_layout.html.liquid is missing", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Order {{ order.nubmer }}")]
    [InlineData("Order {{ ordr.number }}")]
    [InlineData("Order {{ order.number | shout }}")]
    [InlineData("{% for item in shipment.items %}{{ item.price }}{% endfor %}")]
    public void Render_TemplateUsingUnknownVariableMemberOrFilter_Fails(string text)
    {
        var sources = Sources();
        sources["shipped.text.liquid"] = text;
        var set = EmailTemplateSet.FromSources(sources);
        var sample = SampleNotifications.For("shipped", TestStore.Options());

        var ex = Assert.Throws<EmailTemplateException>(() => CustomerEmailRenderer.Render(set, sample.Record, sample.Notification, TestStore.Options(), TestStore.StatusLinks().LinkFor(sample.Record.Order.OrderId)));

        Assert.Contains("shipped.text.liquid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ModelWithANilValue_Fails()
    {
        var model = new EmailModel(
            new StoreModel("Demo Store", "en", string.Empty, "#123456", "support@shop.example.com", string.Empty, string.Empty, "https://shop.example.com/help"),
            new CustomerModel(null!),
            new OrderModel("#1001", "https://shop.example.com/orders/1", [], [], "$1.00", "Somewhere"),
            ShipmentModel.None,
            DetailsModel.None);

        Assert.Throws<EmailTemplateException>(() => EmailTemplateSet.Embedded.Render("on-hold", model, CultureInfo.GetCultureInfo("en-US")));
    }

    [Fact]
    public void Render_UnknownTemplateName_FailsListingKnownOnes()
    {
        var sample = SampleNotifications.For("shipped", TestStore.Options());
        var model = new EmailModel(
            new StoreModel("Demo Store", "en", string.Empty, "#123456", "s@example.com", string.Empty, string.Empty, "https://example.com"),
            new CustomerModel("Jane"),
            new OrderModel("#1001", "https://example.com/o/1", [], [], "$1.00", "Somewhere"),
            ShipmentModel.None,
            DetailsModel.None);

        var ex = Assert.Throws<EmailTemplateException>(() => EmailTemplateSet.Embedded.Render("shiped", model, CultureInfo.GetCultureInfo("en-US")));

        Assert.Contains("order-confirmed", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(sample);
    }

    private static Dictionary<string, string> Sources() => new(EmailTemplateSet.ReadEmbeddedSources(), StringComparer.Ordinal);
}
