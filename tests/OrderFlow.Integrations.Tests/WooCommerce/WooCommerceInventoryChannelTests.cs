using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Integrations.WooCommerce;
using OrderFlow.Workflows.Ports;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderFlow.Integrations.Tests.WooCommerce;

/// <summary>
/// The WooCommerce channel against a WireMock store that answers as the WooCommerce REST API v3 documents it: products
/// filtered by sku (a variation's SKU answers the variation with type "variation" and its parent_id), products/batch and
/// products/{id}/variations/batch with per-item errors, 429 with Retry-After, HTTP Basic auth with the key pair.
/// </summary>
public sealed class WooCommerceInventoryChannelTests(StorageFixture storage) : IClassFixture<StorageFixture>, IDisposable
{
    private const string Key = "ck_4a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
    private const string Secret = "cs_0f1e2d3c4b5a69788796a5b4c3d2e1f098765432";
    private const string Products = "/wp-json/wc/v3/products";
    private const string ProductsBatch = "/wp-json/wc/v3/products/batch";
    private const string VariationsBatch = "/wp-json/wc/v3/products/22/variations/batch";

    private static readonly string Basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Key}:{Secret}"));

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly ListLogger<WooCommerceInventoryChannel> logger = new();

    public void Dispose() => server.Stop();

    [Fact]
    public async Task PushAsync_SimpleProduct_SetsManagedStockQuantityThroughTheProductsBatchWithBasicAuth()
    {
        StubProduct("MUG-1", ProductJson(794, "MUG-1"));
        StubBatch(ProductsBatch, BatchOk(794));
        using var provider = Build();

        await Channel(provider).PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 4)]);

        var lookup = Assert.Single(Requests(Products));
        Assert.Equal(Basic, lookup.RequestMessage.Headers!["Authorization"].Single());
        Assert.Equal("MUG-1", lookup.RequestMessage.Query!["sku"].Single());
        var batch = Assert.Single(Requests(ProductsBatch));
        Assert.Equal(Basic, batch.RequestMessage.Headers!["Authorization"].Single());
        var update = Assert.Single(Updates(batch));
        Assert.Equal(794, update.GetProperty("id").GetInt64());
        Assert.True(update.GetProperty("manage_stock").GetBoolean());
        Assert.Equal(4, update.GetProperty("stock_quantity").GetInt32());
        Assert.Empty(Requests("/variations/"));
    }

    [Fact]
    public async Task PushAsync_VariationSku_SetsTheVariationThroughItsParentsVariationsBatch()
    {
        StubProduct("TEE-RED-M", VariationJson(733, 22, "TEE-RED-M"));
        StubBatch(VariationsBatch, BatchOk(733));
        using var provider = Build();

        await Channel(provider).PushAsync([new ChannelStockLevel("TEE-RED-M", "WH-EAST", 9)]);

        var update = Assert.Single(Updates(Assert.Single(Requests(VariationsBatch))));
        Assert.Equal(733, update.GetProperty("id").GetInt64());
        Assert.Equal(9, update.GetProperty("stock_quantity").GetInt32());
        Assert.Empty(Requests(ProductsBatch));
    }

    [Fact]
    public async Task PushAsync_LevelsAtSeveralLocations_SetsTheirSumOnce()
    {
        StubProduct("MUG-1", ProductJson(794, "MUG-1"));
        StubProduct("MUG-2", ProductJson(795, "MUG-2"));
        StubBatch(ProductsBatch, BatchOk(794, 795));
        using var provider = Build();

        await Channel(provider).PushAsync(
        [
            new ChannelStockLevel("MUG-1", "WH-EAST", 4),
            new ChannelStockLevel("MUG-1", "WH-WEST", 3),
            new ChannelStockLevel("MUG-1", "STORE-9", 0),
            new ChannelStockLevel("MUG-2", "WH-WEST", 2),
        ]);

        var updates = Updates(Assert.Single(Requests(ProductsBatch)));
        Assert.Equal([(794L, 7), (795L, 2)], updates.Select(u => (u.GetProperty("id").GetInt64(), u.GetProperty("stock_quantity").GetInt32())).OrderBy(u => u.Item1));
    }

    [Fact]
    public async Task PushAsync_SkuNotInWooCommerce_IsSkippedAndLogged()
    {
        StubProduct("NOT-LISTED", "[]");
        StubProduct("MUG-1", ProductJson(794, "MUG-1"));
        StubBatch(ProductsBatch, BatchOk(794));
        using var provider = Build();

        await Channel(provider).PushAsync([new ChannelStockLevel("NOT-LISTED", "WH-EAST", 4), new ChannelStockLevel("MUG-1", "WH-EAST", 1)]);

        var update = Assert.Single(Updates(Assert.Single(Requests(ProductsBatch))));
        Assert.Equal(794, update.GetProperty("id").GetInt64());
        Assert.Contains(logger.Entries, e => e.Contains("NOT-LISTED", StringComparison.Ordinal) && e.Contains("not synced", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PushAsync_SkuLookup_IsCachedAndMatchesTheSkuExactly()
    {
        // WooCommerce answers a product whose SKU merely resembles the one asked for: it must not be set.
        StubProduct("MUG-1", $"[{ProductJson(999, "mug-1")[1..^1]},{ProductJson(794, "MUG-1")[1..^1]}]");
        StubBatch(ProductsBatch, BatchOk(794));
        using var provider = Build();
        var channel = Channel(provider);

        await channel.PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 4)]);
        await channel.PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 3)]);

        Assert.Single(Requests(Products));
        Assert.All(Requests(ProductsBatch), b => Assert.Equal(794, Assert.Single(Updates(b)).GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task PushAsync_PerItemErrorInTheBatchAnswer_ThrowsRejectedNamingTheSku()
    {
        StubProduct("MUG-1", ProductJson(794, "MUG-1"));
        StubProduct("MUG-2", ProductJson(795, "MUG-2"));
        StubBatch(ProductsBatch, """
            {"update":[
              {"id":794,"name":"Mug","sku":"MUG-1","manage_stock":true,"stock_quantity":4,"stock_status":"instock"},
              {"id":795,"error":{"code":"woocommerce_rest_product_invalid_id","message":"Invalid ID.","data":{"status":400}}}]}
            """);
        using var provider = Build();

        var ex = await Assert.ThrowsAsync<SalesChannelRejectedException>(() =>
            Channel(provider).PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 4), new ChannelStockLevel("MUG-2", "WH-EAST", 5)]));

        Assert.Contains("MUG-2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("woocommerce_rest_product_invalid_id", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MUG-1", ex.Message, StringComparison.Ordinal);
        Assert.Single(Requests(ProductsBatch));
    }

    [Fact]
    public async Task PushAsync_TooManyRequestsWithRetryAfter_WaitsThatLongThenSendsTheSameBatchAgain()
    {
        StubProduct("MUG-1", ProductJson(794, "MUG-1"));
        server.Given(Request.Create().WithPath(ProductsBatch).UsingPost()).InScenario("batch").WillSetStateTo("limited")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithHeader("Content-Type", "application/json")
                .WithBody("""{"code":"woocommerce_rest_too_many_requests","message":"Too many requests.","data":{"status":429}}"""));
        server.Given(Request.Create().WithPath(ProductsBatch).UsingPost()).InScenario("batch").WhenStateIs("limited").RespondWith(Json(BatchOk(794)));
        using var provider = Build();

        await Channel(provider).PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 4)]);

        var batches = Requests(ProductsBatch);
        Assert.Equal(2, batches.Count);
        Assert.Equal(batches[0].RequestMessage.Body, batches[1].RequestMessage.Body);
        Assert.Contains(logger.Entries, e => e.Contains("HTTP 429", StringComparison.Ordinal) && e.Contains("00:00:01", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PushAsync_WrongKeys_ThrowsUnreachableWithTheWooCommerceCode()
    {
        server.Given(Request.Create().WithPath(Products).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                .WithBody("""{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}"""));
        using var provider = Build();

        var ex = await Assert.ThrowsAsync<WooCommerceApiException>(() => Channel(provider).PushAsync([new ChannelStockLevel("MUG-1", "WH-EAST", 4)]));

        Assert.Contains("woocommerce_rest_cannot_view", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
        Assert.Single(Requests(Products));
    }

    [Fact]
    public async Task Pusher_StoreUrlSet_PushesTheOutboxLevelsToWooCommerceAndRecordsTheVersion()
    {
        StubProduct("MUG-1", ProductJson(794, "MUG-1"));
        StubBatch(ProductsBatch, BatchOk(794));
        using var provider = Build();
        var outbox = provider.GetRequiredService<TableChannelSyncOutbox>();
        await outbox.RecordAsync("MUG-1", new Dictionary<string, int> { ["WH-EAST"] = 4, ["WH-WEST"] = 3 }, 5);

        var run = await provider.GetRequiredService<ChannelSyncPusher>().RunOnceAsync();

        Assert.Equal(1, run.Pushed);
        Assert.Equal(7, Assert.Single(Updates(Assert.Single(Requests(ProductsBatch)))).GetProperty("stock_quantity").GetInt32());
        Assert.Equal(5, (await outbox.GetAsync("MUG-1"))!.PushedTo(WooCommerceInventoryChannel.ChannelName));
    }

    [Theory]
    [InlineData("http://shop.example.com", "Channels:WooCommerce:StoreUrl 'http://shop.example.com'")]
    [InlineData("shop.example.com", "Channels:WooCommerce:StoreUrl 'shop.example.com'")]
    [InlineData("https://shop.example.com/?a=1", "Channels:WooCommerce:StoreUrl")]
    public void Options_StoreUrlNotHttps_FailsStartupNamingTheKey(string url, string expected)
    {
        using var provider = Build(storeUrl: url);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ChannelsOptions>>().Value);

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_StoreUrlWithoutKeyPair_FailsStartupNamingBothKeysWithoutValues()
    {
        using var provider = Build(storeUrl: "https://shop.example.com", key: "UNSET", secret: "");

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ChannelsOptions>>().Value);

        Assert.Contains("Channels:WooCommerce:ConsumerKey is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Channels:WooCommerce:ConsumerSecret is required", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("UNSET", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ShortSecret_FailsStartupNamingTheKey()
    {
        using var provider = Build(storeUrl: "https://shop.example.com", secret: "cs_short");

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ChannelsOptions>>().Value);

        Assert.Contains("Channels:WooCommerce:ConsumerSecret", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cs_short", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_HttpsStoreWithKeyPair_IsValid_AndNoStoreUrlTurnsTheChannelOff()
    {
        using (var on = Build(storeUrl: "https://shop.example.com/store"))
        {
            Assert.True(on.GetRequiredService<IOptions<ChannelsOptions>>().Value.WooCommerce.Enabled);
        }

        using var off = Build(storeUrl: "", key: "", secret: "");
        Assert.False(off.GetRequiredService<IOptions<ChannelsOptions>>().Value.AnyEnabled);
    }

    private static string ProductJson(long id, string sku) => $$"""
        [{"id":{{id}},"name":"Premium Quality","slug":"premium-quality-{{id}}","permalink":"https://example.com/product/premium-quality-{{id}}/",
          "type":"simple","status":"publish","sku":"{{sku}}","price":"21.99","regular_price":"21.99","manage_stock":false,
          "stock_quantity":null,"stock_status":"instock","parent_id":0,"variations":[]}]
        """;

    private static string VariationJson(long id, long parent, string sku) => $$"""
        [{"id":{{id}},"name":"Ship Your Idea - Red, M","slug":"ship-your-idea-red-m","type":"variation","status":"publish","sku":"{{sku}}",
          "price":"20.00","manage_stock":true,"stock_quantity":3,"stock_status":"instock","parent_id":{{parent}},"variations":[]}]
        """;

    private static string BatchOk(params long[] ids) =>
        "{\"create\":[],\"update\":[" + string.Join(",", ids.Select(id => $$"""{"id":{{id}},"manage_stock":true,"stock_status":"instock"}""")) + "],\"delete\":[]}";

    private void StubProduct(string sku, string body) =>
        server.Given(Request.Create().WithPath(Products).UsingGet().WithParam("sku", sku).WithHeader("Authorization", Basic)).RespondWith(Json(body));

    private void StubBatch(string path, string body) =>
        server.Given(Request.Create().WithPath(path).UsingPost().WithHeader("Authorization", Basic)).RespondWith(Json(body));

    private static IResponseBuilder Json(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=UTF-8").WithBody(body);

    private List<WireMock.Logging.ILogEntry> Requests(string path) =>
        server.LogEntries.Where(e => path.EndsWith('/') ? e.RequestMessage.Path.Contains(path, StringComparison.Ordinal) : e.RequestMessage.Path == path).ToList();

    private static List<JsonElement> Updates(WireMock.Logging.ILogEntry entry)
    {
        using var body = JsonDocument.Parse(entry.RequestMessage.Body!);
        return body.RootElement.GetProperty("update").EnumerateArray().Select(u => u.Clone()).ToList();
    }

    private static WooCommerceInventoryChannel Channel(ServiceProvider provider) => provider.GetRequiredService<WooCommerceInventoryChannel>();

    private ServiceProvider Build(string? storeUrl = null, string key = Key, string secret = Secret)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Channels:WooCommerce:StoreUrl"] = storeUrl ?? server.Url,
            ["Channels:WooCommerce:ConsumerKey"] = key,
            ["Channels:WooCommerce:ConsumerSecret"] = secret,
        };
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<ILogger<WooCommerceInventoryChannel>>(logger);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(storage.Tables);
        services.AddSingleton(Mock.Of<IExceptionQueue>()); // the case queue a failing channel opens cases on; not exercised here

        // The production client and pipeline; the store URL is the stub's loopback http address, which validation allows.
        services.AddOrderFlowChannels(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
