using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Shopify;
using OrderFlow.Integrations.Tests.Infrastructure;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderFlow.Integrations.Tests.Shopify;

/// <summary>
/// The Shopify channel against a WireMock Admin API that answers as Shopify documents it: productVariants search,
/// InventoryItem.inventoryLevel quantities, inventorySetQuantities with changeFromQuantity and @idempotent, 429 with
/// Retry-After, THROTTLED errors with the cost extension, and userErrors.
/// </summary>
public sealed class ShopifyInventoryChannelTests : IDisposable
{
    private const string Token = "shpat_test_token_0123456789";
    private const string GraphQlPath = "/admin/api/2026-04/graphql.json";
    private const string Item = "gid://shopify/InventoryItem/30322695";
    private const string East = "gid://shopify/Location/64213452";
    private const string West = "gid://shopify/Location/64213453";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly ListLogger<ShopifyInventoryChannel> logger = new();

    public void Dispose() => server.Stop();

    [Fact]
    public async Task PushAsync_Levels_SetsAvailableWithChangeFromTheCurrentQuantityAndAnIdempotencyKey()
    {
        StubVariants();
        StubLevels(7);
        StubSet(SetOk);
        using var provider = Build();

        await Channel(provider).PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 4), new ChannelStockLevel("MUG-1", "STORE-9", 1)]);

        var set = Assert.Single(Requests("inventorySetQuantities"));
        Assert.Equal(Token, set.RequestMessage.Headers!["X-Shopify-Access-Token"].Single());
        using var body = JsonDocument.Parse(set.RequestMessage.Body!);
        Assert.Matches("@idempotent\\(key: \"[0-9a-f-]{36}\"\\)", body.RootElement.GetProperty("query").GetString());
        var input = body.RootElement.GetProperty("variables").GetProperty("input");
        Assert.Equal("available", input.GetProperty("name").GetString());
        Assert.Equal("correction", input.GetProperty("reason").GetString());
        Assert.StartsWith("gid://orderflow/ChannelSync/", input.GetProperty("referenceDocumentUri").GetString(), StringComparison.Ordinal);
        var quantity = Assert.Single(input.GetProperty("quantities").EnumerateArray().ToList());
        Assert.Equal(Item, quantity.GetProperty("inventoryItemId").GetString());
        Assert.Equal(East, quantity.GetProperty("locationId").GetString());
        Assert.Equal(4, quantity.GetProperty("quantity").GetInt32());
        Assert.Equal(7, quantity.GetProperty("changeFromQuantity").GetInt32());
    }

    [Fact]
    public async Task PushAsync_TwoLocationsMappedToOneShopifyLocation_SetsTheirSum()
    {
        StubVariants();
        StubLevels(0);
        StubSet(SetOk);
        using var provider = Build(locations: $"WH-EAST={East};WH-EAST-2={East}");

        await Channel(provider).PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 4), new ChannelStockLevel("MUG-1", "WH-EAST-2", 3)]);

        var quantity = Assert.Single(SetQuantities(Assert.Single(Requests("inventorySetQuantities"))));
        Assert.Equal(7, quantity.GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task PushAsync_QuantityAlreadyRight_SendsNoMutation()
    {
        StubVariants();
        StubLevels(4);
        StubSet(SetOk);
        using var provider = Build();

        await Channel(provider).PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 4)]);

        Assert.Empty(Requests("inventorySetQuantities"));
    }

    [Fact]
    public async Task PushAsync_TooManyRequestsWithRetryAfter_WaitsThatLongThenSucceedsWithTheSameIdempotencyKey()
    {
        StubVariants();
        StubLevels(7);
        server.Given(Post("*inventorySetQuantities*")).InScenario("set").WillSetStateTo("limited")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1.0").WithHeader("Content-Type", "application/json").WithBody("""{"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}"""));
        server.Given(Post("*inventorySetQuantities*")).InScenario("set").WhenStateIs("limited").RespondWith(Json(SetOk));
        using var provider = Build();

        await Channel(provider).PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 4)]);

        var sets = Requests("inventorySetQuantities");
        Assert.Equal(2, sets.Count);
        Assert.Equal(sets[0].RequestMessage.Body, sets[1].RequestMessage.Body);
        Assert.Contains(logger.Entries, e => e.Contains("HTTP 429", StringComparison.Ordinal) && e.Contains("00:00:01", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PushAsync_Throttled_WaitsForTheBucketToRefillThenSucceeds()
    {
        StubVariants();
        StubLevels(7);
        // requestedQueryCost 60, 40 available, restoring 100/s: 0.2 s until the bucket holds the cost.
        server.Given(Post("*inventorySetQuantities*")).InScenario("throttle").WillSetStateTo("throttled")
            .RespondWith(Json("""
                {"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}],
                 "extensions":{"cost":{"requestedQueryCost":60,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":40,"restoreRate":100.0}}}}
                """));
        server.Given(Post("*inventorySetQuantities*")).InScenario("throttle").WhenStateIs("throttled").RespondWith(Json(SetOk));
        using var provider = Build();

        await Channel(provider).PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 4)]);

        Assert.Equal(2, Requests("inventorySetQuantities").Count);
        Assert.Contains(logger.Entries, e => e.Contains("HTTP 200", StringComparison.Ordinal) && e.Contains("00:00:00.2000000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PushAsync_UserErrors_ThrowsRejectedWithCodeAndField()
    {
        StubVariants();
        StubLevels(7);
        StubSet("""
            {"data":{"inventorySetQuantities":{"inventoryAdjustmentGroup":null,
              "userErrors":[{"code":"NON_MUTABLE_INVENTORY_ITEM","field":["input","quantities","0","inventoryItemId"],"message":"The specified inventory item is not allowed to be adjusted via API."}]}}}
            """);
        using var provider = Build();

        var ex = await Assert.ThrowsAsync<SalesChannelRejectedException>(() => Channel(provider).PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 4)]));

        Assert.Contains("NON_MUTABLE_INVENTORY_ITEM", ex.Message, StringComparison.Ordinal);
        Assert.Contains("input.quantities.0.inventoryItemId", ex.Message, StringComparison.Ordinal);
        Assert.Single(Requests("inventorySetQuantities"));
    }

    [Fact]
    public async Task PushAsync_StaleChangeFrom_ReadsAgainAndSetsOrderFlowsLevel()
    {
        StubVariants();
        server.Given(Post("*OrderFlowAvailable*")).InScenario("levels").WillSetStateTo("read-once").RespondWith(Json(LevelsBody(7)));
        server.Given(Post("*OrderFlowAvailable*")).InScenario("levels").WhenStateIs("read-once").RespondWith(Json(LevelsBody(5)));
        server.Given(Post("*inventorySetQuantities*")).InScenario("cas").WillSetStateTo("stale")
            .RespondWith(Json("""
                {"data":{"inventorySetQuantities":{"inventoryAdjustmentGroup":null,
                  "userErrors":[{"code":"CHANGE_FROM_QUANTITY_STALE","field":["input","quantities","0","changeFromQuantity"],"message":"The changeFromQuantity value does not match persisted value."}]}}}
                """));
        server.Given(Post("*inventorySetQuantities*")).InScenario("cas").WhenStateIs("stale").RespondWith(Json(SetOk));
        using var provider = Build();

        await Channel(provider).PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 4)]);

        var sets = Requests("inventorySetQuantities");
        Assert.Equal([7, 5], sets.Select(s => Assert.Single(SetQuantities(s)).GetProperty("changeFromQuantity").GetInt32()));
        Assert.All(sets, s => Assert.Equal(4, Assert.Single(SetQuantities(s)).GetProperty("quantity").GetInt32()));
        Assert.Contains(logger.Entries, e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains("CHANGE_FROM_QUANTITY_STALE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PushAsync_SkuLookup_IsCachedAndMatchesTheSkuExactly()
    {
        StubVariants();
        StubLevels(7);
        StubSet(SetOk);
        using var provider = Build();
        var channel = Channel(provider);

        await channel.PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 4)]);
        await channel.PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 3)]);

        var lookup = Assert.Single(Requests("productVariants"));
        using var body = JsonDocument.Parse(lookup.RequestMessage.Body!);
        Assert.Equal("sku:\"MUG-1\"", body.RootElement.GetProperty("variables").GetProperty("query").GetString());
        Assert.All(Requests("inventorySetQuantities"), s => Assert.Equal(Item, Assert.Single(SetQuantities(s)).GetProperty("inventoryItemId").GetString()));
    }

    [Fact]
    public async Task PushAsync_SkuNotInShopify_IsSkippedWithoutAMutation()
    {
        StubVariants();
        StubLevels(7);
        StubSet(SetOk);
        using var provider = Build();

        await Channel(provider).PushAsync([new ChannelStockLevel("NOT-LISTED", "WH-EAST", 4)]);

        Assert.Empty(Requests("inventorySetQuantities"));
        Assert.Contains(logger.Entries, e => e.Contains("NOT-LISTED", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_ShopDomainWithoutTokenOrLocations_FailStartupWithTheKeys()
    {
        using var provider = Build(token: "UNSET", locations: "WH-EAST=not-a-location");

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChannelsOptions>>().Value);

        Assert.Contains("Channels:Shopify:AccessToken is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Channels:Shopify:Locations entry 'WH-EAST=not-a-location'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("UNSET", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://orderflow-test.myshopify.com", "2026-04", "Channels:Shopify:ShopDomain")]
    [InlineData("orderflow-test.myshopify.com", "2025-10", "Channels:Shopify:ApiVersion '2025-10'")]
    [InlineData("orderflow-test.myshopify.com", "latest", "Channels:Shopify:ApiVersion 'latest'")]
    public void Options_BadShopDomainOrApiVersion_FailStartupNamingTheKey(string domain, string version, string expected)
    {
        using var provider = Build(domain: domain, apiVersion: version);

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChannelsOptions>>().Value);

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_NoShopDomain_ShopifyOffAndNothingElseRequired()
    {
        using var provider = Build(domain: "", token: "", locations: "");

        Assert.False(provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChannelsOptions>>().Value.AnyEnabled);
    }

    private const string SetOk = """
        {"data":{"inventorySetQuantities":{"inventoryAdjustmentGroup":{"id":"gid://shopify/InventoryAdjustmentGroup/1"},"userErrors":[]}},
         "extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":10,"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":990,"restoreRate":100.0}}}}
        """;

    private static string LevelsBody(int available) => $$$"""
        {"data":{"nodes":[{"id":"{{{Item}}}","l0":{"quantities":[{"name":"available","quantity":{{{available}}}}]}}]}}
        """;

    private void StubVariants() => server.Given(Post("*productVariants*")).RespondWith(Json($$$$"""
        {"data":{"productVariants":{"nodes":[
          {"sku":"MUG-1","inventoryItem":{"id":"{{{{Item}}}}"}},
          {"sku":"MUG-10","inventoryItem":{"id":"gid://shopify/InventoryItem/99"}}]}}}
        """));

    private void StubLevels(int available) => server.Given(Post("*OrderFlowAvailable*")).RespondWith(Json(LevelsBody(available)));

    private void StubSet(string body) => server.Given(Post("*inventorySetQuantities*")).RespondWith(Json(body));

    private static IRequestBuilder Post(string bodyPattern) =>
        Request.Create().WithPath(GraphQlPath).UsingPost().WithHeader("X-Shopify-Access-Token", Token).WithBody(new WildcardMatcher(bodyPattern));

    private static IResponseBuilder Json(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(body);

    private List<WireMock.Logging.ILogEntry> Requests(string operation) =>
        server.LogEntries.Where(e => e.RequestMessage.Body?.Contains(operation, StringComparison.Ordinal) == true).ToList();

    private static List<JsonElement> SetQuantities(WireMock.Logging.ILogEntry entry)
    {
        using var body = JsonDocument.Parse(entry.RequestMessage.Body!);
        return body.RootElement.GetProperty("variables").GetProperty("input").GetProperty("quantities").EnumerateArray().Select(q => q.Clone()).ToList();
    }

    private static ShopifyInventoryChannel Channel(ServiceProvider provider) => provider.GetRequiredService<ShopifyInventoryChannel>();

    private ServiceProvider Build(string token = Token, string? locations = null, string domain = "orderflow-test.myshopify.com", string apiVersion = "2026-04")
    {
        var settings = new Dictionary<string, string?>
        {
            ["Channels:Shopify:ShopDomain"] = domain,
            ["Channels:Shopify:AccessToken"] = token,
            ["Channels:Shopify:ApiVersion"] = apiVersion,
            ["Channels:Shopify:Locations"] = locations ?? $"WH-EAST={East};WH-WEST={West}",
        };
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<ILogger<ShopifyInventoryChannel>>(logger);
        services.AddSingleton(TimeProvider.System);
        services.AddOrderFlowChannels(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

        // Same client and pipeline as production; only the shop's address points at the stub.
        services.AddHttpClient(ShopifyInventoryChannel.HttpClientName).ConfigureHttpClient(c => c.BaseAddress = new Uri(server.Url! + "/"));
        return services.BuildServiceProvider();
    }
}
