using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Carrier;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderFlow.Integrations.Tests.Carrier;

/// <summary>
/// The EasyPost gateway, built by its DI registration (so the real resilience pipeline runs), against a WireMock stub
/// answering with EasyPost's documented JSON, and the shipment index on Azurite.
/// </summary>
public sealed class EasyPostCarrierGatewayTests(StorageFixture storage) : IClassFixture<StorageFixture>, IDisposable
{
    private const string ApiKey = "EZTK_test_0123456789";
    private const string ShipmentsPath = "/v2/shipments";
    private const string ShipmentPath = ShipmentsPath + "/" + EasyPostJson.ShipmentId;
    private const string BuyPath = ShipmentPath + "/buy";

    private static readonly string Express = EasyPostJson.Rate("rate_express", "Express", "49.60", 1);
    private static readonly string Priority = EasyPostJson.Rate("rate_priority", "Priority", "7.33", 2);
    private static readonly string Ground = EasyPostJson.Rate("rate_ground", "GroundAdvantage", "6.79", 3);
    private static readonly string ParcelSelect = EasyPostJson.Rate("rate_parcel", "ParcelSelect", "5.10", 5);
    private static readonly string NoDays = EasyPostJson.Rate("rate_nodays", "First", "4.20", null);

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly string key = $"shopify-{Guid.NewGuid():N}:label-F1";

    public void Dispose() => server.Stop();

    [Fact]
    public async Task BuyLabelAsync_RatesWithinAndBeyondPromise_BuysCheapestWithinMaxDeliveryDays()
    {
        StubCreate(EasyPostJson.Created(key, Express, Priority, Ground, ParcelSelect));
        StubBuy(EasyPostJson.Bought(key, Ground));
        using var provider = Build(maxDeliveryDays: 3);

        var label = await Gateway(provider).BuyLabelAsync(LabelFor());

        Assert.Equal(new ShippingLabel("USPS", "GroundAdvantage", EasyPostJson.TrackingCode, EasyPostJson.PublicUrl, EasyPostJson.LabelUrl, new Money(679, "USD")), label);
        Assert.Equal("rate_ground", Json(Single(BuyPath)).GetProperty("rate").GetProperty("id").GetString());

        var create = Single(ShipmentsPath);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ApiKey + ":")), create.Headers!["Authorization"].Single());
        var shipment = Json(create).GetProperty("shipment");
        Assert.Equal(key, shipment.GetProperty("reference").GetString());
        Assert.Equal("417 Montgomery Street", shipment.GetProperty("from_address").GetProperty("street1").GetString());
        Assert.Equal("10118", shipment.GetProperty("to_address").GetProperty("zip").GetString());
        Assert.Equal("NY", shipment.GetProperty("to_address").GetProperty("state").GetString());
        // SKU weights configured: 2 x 14 oz mugs + 1 x 16 oz (the default stands in for the unlisted SKU-TEE).
        Assert.Equal(44.0, shipment.GetProperty("parcel").GetProperty("weight").GetDouble());
        Assert.Equal(10.0, shipment.GetProperty("parcel").GetProperty("length").GetDouble());
    }

    [Fact]
    public async Task BuyLabelAsync_NoRateWithinPromiseFallbackFastest_BuysFewestDaysThenCheapest()
    {
        StubCreate(EasyPostJson.Created(key, Ground, ParcelSelect, NoDays, EasyPostJson.Rate("rate_priority_ups", "2ndDayAir", "21.00", 2, "UPS"), Priority));
        StubBuy(EasyPostJson.Bought(key, Priority));
        using var provider = Build(maxDeliveryDays: 1);

        var label = await Gateway(provider).BuyLabelAsync(LabelFor());

        Assert.Equal("rate_priority", Json(Single(BuyPath)).GetProperty("rate").GetProperty("id").GetString());
        Assert.Equal(new Money(733, "USD"), label.Cost);
    }

    [Fact]
    public async Task BuyLabelAsync_NoRateWithinPromiseFallbackFail_ThrowsAndBuysNothing()
    {
        StubCreate(EasyPostJson.Created(key, Ground, ParcelSelect));
        using var provider = Build(maxDeliveryDays: 1, fallback: EasyPostOptions.FallbackFail);

        var ex = await Assert.ThrowsAsync<EasyPostRateUnavailableException>(() => Gateway(provider).BuyLabelAsync(LabelFor()));

        Assert.Contains("within 1 days", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Requests(BuyPath));
    }

    [Fact]
    public async Task BuyLabelAsync_AddressVerifyFailure422_ThrowsCarrierAddressRejectedWithTheCarrierMessage()
    {
        server.Given(Request.Create().WithPath(ShipmentsPath).UsingPost()).RespondWith(Response.Create()
            .WithStatusCode(422)
            .WithHeader("Content-Type", "application/json")
            .WithBody(EasyPostJson.Error(
                "ADDRESS.VERIFY.FAILURE",
                "Address not found",
                """[{"field":"address","message":"Address not found","suggestion":null},{"field":"street1","message":"House number is missing","suggestion":null}]""")));
        using var provider = Build(maxDeliveryDays: 3);

        var ex = await Assert.ThrowsAsync<CarrierAddressRejectedException>(() => Gateway(provider).BuyLabelAsync(LabelFor()));

        Assert.Contains("ADDRESS.VERIFY.FAILURE", ex.Message, StringComparison.Ordinal);
        Assert.Contains("street1: House number is missing", ex.Message, StringComparison.Ordinal);
        Assert.Single(Requests(ShipmentsPath));
        Assert.Empty(Requests(BuyPath));
    }

    [Fact]
    public async Task BuyLabelAsync_OtherClientError_ThrowsEasyPostApiExceptionWithoutRetrying()
    {
        server.Given(Request.Create().WithPath(ShipmentsPath).UsingPost()).RespondWith(Response.Create()
            .WithStatusCode(400)
            .WithHeader("Content-Type", "application/json")
            .WithBody(EasyPostJson.Error("SHIPMENT.INVALID_PARAMS", "Unable to create shipment, one or more parameters were invalid.", """["parcel.weight must be greater than 0"]""")));
        using var provider = Build(maxDeliveryDays: 3);

        var ex = await Assert.ThrowsAsync<EasyPostApiException>(() => Gateway(provider).BuyLabelAsync(LabelFor()));

        Assert.Equal((400, "SHIPMENT.INVALID_PARAMS"), (ex.StatusCode, ex.Code));
        Assert.Contains("parcel.weight must be greater than 0", ex.Message, StringComparison.Ordinal);
        Assert.Single(Requests(ShipmentsPath));
    }

    [Fact]
    public async Task BuyLabelAsync_RateLimitedThenOk_RetriesAndBuys()
    {
        server.Given(Request.Create().WithPath(ShipmentsPath).UsingPost()).InScenario("rate-limit").WillSetStateTo("limited-once")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0").WithHeader("Content-Type", "application/json")
                .WithBody(EasyPostJson.Error("RATE_LIMITED", "You have exceeded the rate limit.", "[]")));
        server.Given(Request.Create().WithPath(ShipmentsPath).UsingPost()).InScenario("rate-limit").WhenStateIs("limited-once")
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(EasyPostJson.Created(key, Priority, Ground)));
        StubBuy(EasyPostJson.Bought(key, Priority));
        using var provider = Build(maxDeliveryDays: 3);

        var label = await Gateway(provider).BuyLabelAsync(LabelFor());

        Assert.Equal(EasyPostJson.TrackingCode, label.TrackingNumber);
        Assert.Equal(2, Requests(ShipmentsPath).Count);
        Assert.Single(Requests(BuyPath));
    }

    [Fact]
    public async Task BuyLabelAsync_SameIdempotencyKeyTwice_BuysOnceAndReturnsTheSameLabel()
    {
        StubCreate(EasyPostJson.Created(key, Priority, Ground));
        StubBuy(EasyPostJson.Bought(key, Ground));
        server.Given(Request.Create().WithPath(ShipmentPath).UsingGet()).RespondWith(Response.Create()
            .WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(EasyPostJson.Bought(key, Ground)));
        using var provider = Build(maxDeliveryDays: 3);

        var first = await Gateway(provider).BuyLabelAsync(LabelFor());
        var again = await Gateway(provider).BuyLabelAsync(LabelFor());

        Assert.Equal(first, again);
        Assert.Single(Requests(ShipmentsPath));
        Assert.Single(Requests(BuyPath));
        Assert.Single(Requests(ShipmentPath));
    }

    [Fact]
    public async Task BuyLabelAsync_BuyRefusedAfterAnEarlierBuySucceeded_ReturnsTheExistingLabel()
    {
        // The shipment was created and indexed by an earlier attempt whose buy answer was lost.
        await new EasyPostShipmentIndex(storage.Tables).AddAsync(key, EasyPostJson.ShipmentId, "o1", "F1");
        server.Given(Request.Create().WithPath(ShipmentPath).UsingGet()).InScenario("lost-answer").WillSetStateTo("read-once")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(EasyPostJson.Created(key, Priority, Ground)));
        server.Given(Request.Create().WithPath(ShipmentPath).UsingGet()).InScenario("lost-answer").WhenStateIs("read-once")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(EasyPostJson.Bought(key, Ground)));
        server.Given(Request.Create().WithPath(BuyPath).UsingPost()).RespondWith(Response.Create()
            .WithStatusCode(422).WithHeader("Content-Type", "application/json")
            .WithBody(EasyPostJson.Error("SHIPMENT.POSTAGE.EXISTS", "Shipment already has postage.", "[]")));
        using var provider = Build(maxDeliveryDays: 3);

        var label = await Gateway(provider).BuyLabelAsync(LabelFor());

        Assert.Equal(EasyPostJson.TrackingCode, label.TrackingNumber);
        Assert.Empty(Requests(ShipmentsPath));
    }

    [Fact]
    public async Task VoidLabelAsync_BoughtLabel_PostsTheRefundOnceAndReturnsSubmitted()
    {
        var (orderId, request) = await IndexedLabelAsync();
        StubShipment(EasyPostJson.Bought(key, Ground));
        StubRefund(200, EasyPostJson.WithRefundStatus(EasyPostJson.Bought(key, Ground), "submitted"));
        using var provider = Build(maxDeliveryDays: 3);

        var result = await Gateway(provider).VoidLabelAsync(request);

        Assert.Equal(LabelVoidResult.Submitted, result.Status);
        Assert.True(result.Voided);
        var refund = Single(RefundPath);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ApiKey + ":")), refund.Headers!["Authorization"].Single());
        Assert.NotNull(orderId);
    }

    [Fact]
    public async Task VoidLabelAsync_RefundAlreadyRequested_ReturnsItsStatusWithoutRefundingAgain()
    {
        var (_, request) = await IndexedLabelAsync();
        StubShipment(EasyPostJson.WithRefundStatus(EasyPostJson.Bought(key, Ground), "refunded"));
        StubRefund(200, EasyPostJson.WithRefundStatus(EasyPostJson.Bought(key, Ground), "submitted"));
        using var provider = Build(maxDeliveryDays: 3);

        var result = await Gateway(provider).VoidLabelAsync(request);

        Assert.Equal(LabelVoidResult.Refunded, result.Status);
        Assert.Empty(Requests(RefundPath));
    }

    [Fact]
    public async Task VoidLabelAsync_CarrierRejectsTheRefund_ReturnsRejected()
    {
        var (_, request) = await IndexedLabelAsync();
        StubShipment(EasyPostJson.Bought(key, Ground));
        StubRefund(200, EasyPostJson.WithRefundStatus(EasyPostJson.Bought(key, Ground), "rejected"));
        using var provider = Build(maxDeliveryDays: 3);

        var result = await Gateway(provider).VoidLabelAsync(request);

        Assert.Equal(LabelVoidResult.Rejected, result.Status);
        Assert.False(result.Voided);
        Assert.Single(Requests(RefundPath));
    }

    [Fact]
    public async Task VoidLabelAsync_RefundRefused422_ReturnsRejectedWithEasyPostsMessage()
    {
        var (_, request) = await IndexedLabelAsync();
        StubShipment(EasyPostJson.Bought(key, Ground));
        StubRefund(422, EasyPostJson.Error("SHIPMENT.REFUND.UNAVAILABLE", "Refund window has passed.", "[]"));
        using var provider = Build(maxDeliveryDays: 3);

        var result = await Gateway(provider).VoidLabelAsync(request);

        Assert.Equal(LabelVoidResult.Rejected, result.Status);
        Assert.Contains("Refund window has passed", result.Detail, StringComparison.Ordinal);
        Assert.Single(Requests(RefundPath));
    }

    [Fact]
    public async Task VoidLabelAsync_NoShipmentRecordedForTheFulfillment_ReturnsRejectedWithoutCallingEasyPost()
    {
        using var provider = Build(maxDeliveryDays: 3);

        var result = await Gateway(provider).VoidLabelAsync(new LabelVoidRequest($"o-{Guid.NewGuid():N}", "F1", EasyPostJson.TrackingCode, "k"));

        Assert.Equal(LabelVoidResult.Rejected, result.Status);
        Assert.Empty(server.LogEntries);
    }

    [Theory]
    [InlineData(3, "Fastest", "", "rate_ground")]
    [InlineData(2, "Fastest", "", "rate_priority")]
    [InlineData(1, "Fastest", "", "rate_priority")]
    [InlineData(1, "Cheapest", "", "rate_nodays")]
    [InlineData(1, "Fail", "", null)]
    [InlineData(5, "Fastest", "Express,Priority", "rate_priority")]
    public void Select_StoreRule_PicksExpectedRate(int maxDays, string fallback, string services, string? expected)
    {
        var rates = new List<EasyPostRate>
        {
            new("rate_express", "USPS", "Express", new Money(4960, "USD"), 1),
            new("rate_priority", "USPS", "Priority", new Money(733, "USD"), 2),
            new("rate_ground", "USPS", "GroundAdvantage", new Money(679, "USD"), 3),
            new("rate_nodays", "USPS", "First", new Money(420, "USD"), null),
        };
        if (maxDays == 1)
        {
            rates.RemoveAt(0);
        }

        var chosen = EasyPostRateSelector.Select(rates, new EasyPostOptions { MaxDeliveryDays = maxDays, Fallback = fallback, Services = services });

        Assert.Equal(expected, chosen?.Id);
    }

    private ServiceProvider Build(int maxDeliveryDays, string fallback = EasyPostOptions.FallbackFastest)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Adapters:Carrier"] = "EasyPost",
            ["EasyPost:ApiKey"] = ApiKey,
            ["EasyPost:WebhookSecret"] = "easypost-webhook-secret",
            ["EasyPost:BaseUrl"] = server.Url,
            ["EasyPost:MaxDeliveryDays"] = maxDeliveryDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["EasyPost:Fallback"] = fallback,
            ["EasyPost:FromAddresses:0:Location"] = "WH-EAST",
            ["EasyPost:FromAddresses:0:Company"] = "Demo Store East",
            ["EasyPost:FromAddresses:0:Street1"] = "417 Montgomery Street",
            ["EasyPost:FromAddresses:0:Street2"] = "5th Floor",
            ["EasyPost:FromAddresses:0:City"] = "San Francisco",
            ["EasyPost:FromAddresses:0:State"] = "CA",
            ["EasyPost:FromAddresses:0:Zip"] = "94104",
            ["EasyPost:SkuWeightsOz"] = "SKU-MUG=14",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddOptions<AdaptersOptions>().Bind(configuration.GetSection(AdaptersOptions.Section));
        services.AddSingleton(storage.Tables);
        services.AddOrderFlowEasyPost(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static EasyPostCarrierGateway Gateway(ServiceProvider provider) => provider.GetRequiredService<EasyPostCarrierGateway>();

    private LabelRequest LabelFor() => new(
        "shopify-1001",
        "shopify-1001-F1",
        "WH-EAST",
        TestOrders.Create().ShippingAddress,
        [new FulfillmentLine("SKU-MUG", 2), new FulfillmentLine("SKU-TEE", 1)],
        key);

    private const string RefundPath = ShipmentPath + "/refund";

    /// <summary>A label bought earlier for a fulfillment of a fresh order: its shipment recorded in the index.</summary>
    private async Task<(string OrderId, LabelVoidRequest Request)> IndexedLabelAsync()
    {
        var orderId = $"shopify-{Guid.NewGuid():N}";
        await new EasyPostShipmentIndex(storage.Tables).AddAsync(key, EasyPostJson.ShipmentId, orderId, $"{orderId}-F1");
        return (orderId, new LabelVoidRequest(orderId, $"{orderId}-F1", EasyPostJson.TrackingCode, $"{orderId}:void-label-{orderId}-F1"));
    }

    private void StubShipment(string body) =>
        server.Given(Request.Create().WithPath(ShipmentPath).UsingGet()).RespondWith(Response.Create()
            .WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));

    private void StubRefund(int status, string body) =>
        server.Given(Request.Create().WithPath(RefundPath).UsingPost()).RespondWith(Response.Create()
            .WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    private void StubCreate(string body) =>
        server.Given(Request.Create().WithPath(ShipmentsPath).UsingPost()).RespondWith(Response.Create()
            .WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(body));

    private void StubBuy(string body) =>
        server.Given(Request.Create().WithPath(BuyPath).UsingPost()).RespondWith(Response.Create()
            .WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));

    private List<WireMock.Logging.ILogEntry> Requests(string path) =>
        server.LogEntries.Where(e => e.RequestMessage.Path == path).ToList();

    private WireMock.IRequestMessage Single(string path) => Assert.Single(Requests(path)).RequestMessage;

    private static JsonElement Json(WireMock.IRequestMessage request) => JsonDocument.Parse(request.Body!).RootElement.Clone();
}
