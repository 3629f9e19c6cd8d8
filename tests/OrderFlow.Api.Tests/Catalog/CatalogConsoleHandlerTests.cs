using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Api.Tests.Infrastructure;
using OrderFlow.Api.Cases;
using OrderFlow.Api.Catalog;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Options;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Ports;
using static OrderFlow.Api.Tests.Infrastructure.ConsoleRequests;

namespace OrderFlow.Api.Tests.Catalog;

/// <summary>The console's catalog upload follows the console's rules: a session, and a cookie post only from the console's origin.</summary>
public sealed class CatalogConsoleHandlerTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private const string Key = "test-operator-key-0123456789abcdef0123";
    private const string Host = "console.orderflow.test";
    private readonly TableCatalog catalog = new(storage.Tables);
    private readonly StockEngineDouble engine = new();
    private readonly string sku = $"MUG-{Guid.NewGuid():N}"[..12];

    [Theory]
    [InlineData("https://evil.example.test")]
    [InlineData("http://" + Host)]
    [InlineData(null)]
    public async Task ConsoleImportAsync_ApplyWithCookieFromAnotherOriginOrNone_403AndNothingApplied(string? origin)
    {
        var cookie = await LoginAsync();

        var result = await Handler().ConsoleImportAsync(ApplyRequest(cookie, origin), engine, default);

        Assert.Equal(StatusCodes.Status403Forbidden, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Null(await catalog.GetAsync(sku));
        Assert.Empty(engine.Runs);
    }

    [Fact]
    public async Task ConsoleImportAsync_NoSession_401AndNothingApplied()
    {
        var result = await Handler().ConsoleImportAsync(ApplyRequest(null, $"https://{Host}"), engine, default);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Empty(engine.Runs);
    }

    [Fact]
    public async Task ConsoleImportAsync_ApplyFromTheConsole_AppliesTheFileAndShowsWhatChanged()
    {
        var cookie = await LoginAsync();

        var page = Assert.IsType<HtmlPage>(await Handler().ConsoleImportAsync(ApplyRequest(cookie, $"https://{Host}"), engine, default));

        Assert.Equal(StatusCodes.Status200OK, page.StatusCode);
        Assert.Contains("WH: 0 → 4 (+4) applied", page.Html, StringComparison.Ordinal);
        Assert.Equal(4, engine.Stock(sku).Locations["WH"].OnHand);
        Assert.Contains("title: (none) → Mug &lt;b&gt;", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", page.Html, StringComparison.Ordinal);
        Assert.Equal("Mug <b>", (await catalog.GetAsync(sku))!.Title);
    }

    private TableExceptionQueue Cases => new(storage.Tables, Mock.Of<IApproverAlert>(), TimeProvider.System, NullLogger<TableExceptionQueue>.Instance);

    private ConsoleHandler Console() => new(
        Cases,
        new CaseDecisionService(Cases, TimeProvider.System, NullLogger<CaseDecisionService>.Instance, null),
        Mock.Of<IOrderStore>(),
        new InventoryHandler(Mock.Of<ICatalog>(), Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key }), TimeProvider.System, NullLogger<InventoryHandler>.Instance),
        Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key }),
        TimeProvider.System,
        NullLogger<ConsoleHandler>.Instance);

    private CatalogConsoleHandler Handler() => new(
        new CatalogHandler(catalog, Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key }), NullLogger<CatalogHandler>.Instance),
        Console());

    private async Task<string> LoginAsync()
    {
        var request = ApplyRequest(null, $"https://{Host}");
        request.ContentType = "application/x-www-form-urlencoded";
        request.Body = new MemoryStream(Encoding.UTF8.GetBytes($"key={Uri.EscapeDataString(Key)}"));
        var redirect = Assert.IsType<ConsoleHandler.CookieRedirect>(await Console().PostLoginAsync(request, default));
        var context = new DefaultHttpContext();
        await redirect.ExecuteAsync(context);
        var setCookie = context.Response.Headers.SetCookie.ToString();
        return setCookie[(ConsoleHandler.CookieName.Length + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>The Apply form as the dry-run page posts it: the file in base64.</summary>
    private HttpRequest ApplyRequest(string? cookie, string? origin)
    {
        var csv = $"sku,title,location,units,reorderThreshold,outOfStockPolicy,substituteSku,downloadUrl\r\n{sku},Mug <b>,WH,4,,,,\r\n";
        return FormRequest(null, cookie, origin, ("apply", "true"), ("file64", Convert.ToBase64String(Encoding.UTF8.GetBytes(csv))));
    }
}
