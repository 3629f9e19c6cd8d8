using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Approvals;
using OrderFlow.Integrations.Carrier;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Workflows.Notifications;
using OrderFlow.Workflows.Security;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Carrier;
using OrderFlow.Testing;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Tests.Harness;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision 5 with the real adapters: the hand-off and the cancellation go through <see cref="RoutedFulfillmentProvider"/>
/// (3PL over HTTP to WireMock, pick-list queue on Azurite, vendor email to an in-process SMTP server), and in the 3PL
/// case the label is bought and voided through the EasyPost adapter against WireMock answering EasyPost's documented JSON.
/// </summary>
public sealed class OrderOrchestratorCancelAtPartnerTests : IAsyncLifetime
{
    private const string ThirdParty = "3PL-EU";
    private const string Vendor = "VENDOR-MUGS";
    private const string VendorEmail = "orders@mugs-vendor.example.com";
    private const string Secret = "acme-3pl-signing-secret-0123";
    private const string HandOffPath = "/3pl/v1/fulfillment-orders";
    private const string ShipmentsPath = "/v2/shipments";
    private const string ShipmentPath = ShipmentsPath + "/" + EasyPostJson.ShipmentId;

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly string prefix = "wfc" + Guid.NewGuid().ToString("N")[..8];
    private TestSmtpServer smtp = null!;

    public async Task InitializeAsync() => this.smtp = await TestSmtpServer.StartAsync();

    public async Task DisposeAsync()
    {
        this.server.Stop();
        await this.smtp.DisposeAsync();

        // Leave Azurite as found: this class's tables and queues carry its prefix.
        var storage = MsOptions.Create(new StorageOptions { ConnectionString = AzuriteConnection.ConnectionString, TablePrefix = this.prefix });
        var tableService = StorageClients.CreateTableService(AzuriteConnection.ConnectionString);
        var tables = new OrderFlowTables(tableService, storage);
        foreach (var name in TableNames.All)
        {
            await tableService.DeleteTableAsync(tables.NameOf(name));
        }

        var queues = StorageClients.CreateQueueService(AzuriteConnection.ConnectionString);
        await foreach (var queue in queues.GetQueuesAsync(prefix: this.prefix))
        {
            await queues.DeleteQueueAsync(queue.Name);
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task ThirdParty_CancelAfterHandOff_CallsTheSignedCancelEndpointOnceAndRefundsTheLabelOnce(DurableEngineBackend backend)
    {
        await AzuriteConnection.EnsureReachableAsync();
        await using var h = await this.StartAsync(backend, easyPost: true);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", (ThirdParty, 5));
        var order = TestOrders.Create($"93{Guid.NewGuid().ToString("N")[..6]}", ("MUG", 2, 12_00));
        var id = order.OrderId;
        var fulfillmentId = $"{id}-F1";
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);
        var labelKey = $"{id}:label-{fulfillmentId}";
        this.Stub(HandOffPath, 202, """{"reference":"ACME-1"}""");
        this.Stub($"{HandOffPath}/{fulfillmentId}/cancel", 200, """{"status":"cancelled"}""");
        this.Stub(ShipmentsPath, 201, EasyPostJson.Created(labelKey, EasyPostJson.Rate("rate_ground", "GroundAdvantage", "6.79", 3)));
        this.Stub(ShipmentPath + "/buy", 200, EasyPostJson.Bought(labelKey, EasyPostJson.Rate("rate_ground", "GroundAdvantage", "6.79", 3)));
        this.server.Given(Request.Create().WithPath(ShipmentPath).UsingGet()).RespondWith(Response.Create()
            .WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(EasyPostJson.Bought(labelKey, EasyPostJson.Rate("rate_ground", "GroundAdvantage", "6.79", 3))));
        this.Stub(ShipmentPath + "/refund", 200, EasyPostJson.WithRefundStatus(EasyPostJson.Bought(labelKey, EasyPostJson.Rate("rate_ground", "GroundAdvantage", "6.79", 3)), "submitted"));

        await h.StartOrderAsync(order);
        await AwaitingConfirmationAsync(h, id);
        await h.CancelAsync(id, new CancelOrderRequest("c-93", null, true, true, true, "customer-request", "ops@example.test"));
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        var cancel = Assert.Single(this.Requests($"{HandOffPath}/{fulfillmentId}/cancel")).RequestMessage;
        Assert.Equal($"{id}:cancel-{fulfillmentId}", cancel.Headers![ThirdPartyFulfillmentProvider.IdempotencyKeyHeader].Single());
        Assert.True(HmacSignature.Verify(cancel.BodyAsBytes, cancel.Headers[ThirdPartyFulfillmentProvider.SignatureHeader].Single(), Secret));
        Assert.Equal(fulfillmentId, JsonDocument.Parse(cancel.Body!).RootElement.GetProperty("fulfillmentId").GetString());
        Assert.Single(this.Requests(ShipmentPath + "/refund"));
        Assert.Single(this.Requests(ShipmentPath + "/buy"));
        Assert.Contains(h.Ports.Orders.Get(id).Timeline, t => t.Message.Contains($"label {EasyPostJson.TrackingCode} voided (carrier refund submitted)", StringComparison.Ordinal));
        Assert.Empty(h.Ports.Cases.CasesFor(id));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task OwnWarehouse_CancelAfterHandOff_QueuesACancelMessageAndWaitsForTheWarehouse(DurableEngineBackend backend)
    {
        await AzuriteConnection.EnsureReachableAsync();
        await using var h = await this.StartAsync(backend, easyPost: false);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create($"94{Guid.NewGuid().ToString("N")[..6]}", ("MUG", 1, 12_00));
        var id = order.OrderId;
        var fulfillmentId = $"{id}-F1";
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        await AwaitingConfirmationAsync(h, id);
        await h.CancelAsync(id, new CancelOrderRequest("c-94", null, true, true, true, "customer-request", "ops@example.test"));
        await h.UntilAsync(() => h.Ports.Orders.TimelineOf(id, "cancel-at-location").Count > 0, "the warehouse was told");
        var queue = StorageClients.CreateQueueService(AzuriteConnection.ConnectionString).GetQueueClient(QueueNames.PickList(this.prefix, "east"));
        var messages = (await queue.ReceiveMessagesAsync(maxMessages: 10)).Value;
        Assert.Equal(
            [PickListMessage.PickKind, PickListMessage.CancelKind],
            messages.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.GetProperty("kind").GetString()));
        Assert.Empty(h.Ports.Carrier.Voids);

        // The warehouse confirms through the signed callback, which raises this event.
        await h.Client.RaiseEventAsync(id, FulfillmentConfirmation.EventName(fulfillmentId),
            new FulfillmentConfirmation(fulfillmentId, FulfillmentConfirmation.Cancelled, DateTimeOffset.UtcNow, null));
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Single(h.Ports.Carrier.Voids);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Dropship_CancelAfterHandOff_EmailsTheVendorAndShipsWhenTheVendorSaysItLeft(DurableEngineBackend backend)
    {
        await AzuriteConnection.EnsureReachableAsync();
        await using var h = await this.StartAsync(backend, easyPost: false);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", (Vendor, 5));
        var order = TestOrders.Create($"95{Guid.NewGuid().ToString("N")[..6]}", ("MUG", 1, 12_00));
        var id = order.OrderId;
        var fulfillmentId = $"{id}-F1";
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        await AwaitingConfirmationAsync(h, id);
        await h.CancelAsync(id, new CancelOrderRequest("c-95", null, true, true, true, "customer-request", "ops@example.test"));
        await h.UntilAsync(() => h.Ports.Orders.TimelineOf(id, "cancel-at-location").Count > 0, "the vendor was told");
        var cancelMail = Assert.Single(this.smtp.Messages, m => m.Subject?.StartsWith($"Cancel purchase order {fulfillmentId}", StringComparison.Ordinal) == true);
        Assert.Equal(VendorEmail, Assert.Single(cancelMail.To.Mailboxes).Address);
        Assert.DoesNotContain(TestOrders.ValidAddress.Line1, cancelMail.TextBody, StringComparison.Ordinal);

        // Too late: the vendor answers through the signed callback that the parcel already left.
        await h.ConfirmShippedAsync(id, fulfillmentId);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Single(h.Ports.Payments.Captures);
        Assert.Single(h.Ports.Ledger.Posted);
        Assert.Empty(h.Ports.Payments.Refunds);
        Assert.Empty(h.Ports.Carrier.Voids);
        var shipped = Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Shipped);
        Assert.Equal("cancel-too-late", shipped.Details![CustomerNotification.DetailKeys.Reason]);
    }

    private static Task AwaitingConfirmationAsync(WorkflowHarness h, string orderId) =>
        h.UntilAsync(
            () => h.Ports.Orders.StatusOf(orderId) is not null && h.Ports.Orders.Get(orderId).Fulfillments.Any(f => f.Status == "awaiting-confirmation"),
            "the fulfillment was handed to its location");

    private Task<WorkflowHarness> StartAsync(DurableEngineBackend backend, bool easyPost) =>
        WorkflowHarness.StartAsync(backend, (services, ports) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["FulfillmentPartners:SigningSecret"] = "default-signing-secret-not-this-one",
                ["FulfillmentPartners:Locations:0:Location"] = ThirdParty,
                ["FulfillmentPartners:Locations:0:EndpointUrl"] = this.server.Url + HandOffPath,
                ["FulfillmentPartners:Locations:0:CancelUrl"] = this.server.Url + HandOffPath + "/{fulfillmentId}/cancel",
                ["FulfillmentPartners:Locations:0:Secret"] = Secret,
                ["FulfillmentPartners:Locations:1:Location"] = Vendor,
                ["FulfillmentPartners:Locations:1:VendorEmail"] = VendorEmail,
                ["Adapters:Carrier"] = "EasyPost",
                ["EasyPost:ApiKey"] = "EZTK_test_0123456789",
                ["EasyPost:WebhookSecret"] = "easypost-webhook-secret",
                ["EasyPost:BaseUrl"] = this.server.Url,
                ["EasyPost:MaxDeliveryDays"] = "3",
                ["EasyPost:FromAddresses:0:Location"] = ThirdParty,
                ["EasyPost:FromAddresses:0:Company"] = "Acme 3PL",
                ["EasyPost:FromAddresses:0:Street1"] = "417 Montgomery Street",
                ["EasyPost:FromAddresses:0:City"] = "San Francisco",
                ["EasyPost:FromAddresses:0:State"] = "CA",
                ["EasyPost:FromAddresses:0:Zip"] = "94104",
            }).Build();
            services.Configure<RoutingOptions>(o => o.Locations =
            [
                new RoutingLocationOptions { Id = ThirdParty, Kind = "ThirdParty", Method = "ThirdPartyApi", Regions = ["*"] },
                new RoutingLocationOptions { Id = Vendor, Kind = "Dropship", Method = "DropshipEmail", Regions = ["*"] },
                new RoutingLocationOptions { Id = "east", Regions = ["*"] },
            ]);
            var storage = MsOptions.Create(new StorageOptions { ConnectionString = AzuriteConnection.ConnectionString, TablePrefix = this.prefix });
            services.AddSingleton(storage);
            services.AddSingleton(StorageClients.CreateQueueService(AzuriteConnection.ConnectionString));
            services.AddSingleton(new OrderFlowTables(StorageClients.CreateTableService(AzuriteConnection.ConnectionString), storage));
            services.AddSingleton<IEmailSender>(new SmtpEmailSender(
                MsOptions.Create(new SmtpOptions { Host = "127.0.0.1", Port = this.smtp.Port, Security = SmtpSecurity.None, FromAddress = "orders@shop.example.com", FromName = "Demo Store", Timeout = TimeSpan.FromSeconds(10) }),
                NullLogger<SmtpEmailSender>.Instance));
            services.AddSingleton(MsOptions.Create(new StoreOptions { StoreName = "Demo Store", SupportEmail = "support@shop.example.com", HelpUrl = "https://shop.example.com/help", OrderStatusBaseUrl = "https://shop.example.com/orders/" }));
            services.AddSingleton(MsOptions.Create(new ApprovalsOptions { SigningKey = "test-approvals-signing-key-0123456789abcdef", PublicBaseUrl = "https://orders.shop.example.com" }));
            services.AddOptions<AdaptersOptions>().Bind(configuration.GetSection(AdaptersOptions.Section));
            services.AddOrderFlowFulfillment(configuration);
            services.AddSingleton<IFulfillmentProvider>(sp => sp.GetRequiredService<RoutedFulfillmentProvider>());
            services.AddSingleton<IFulfillmentCanceller>(sp => sp.GetRequiredService<RoutedFulfillmentProvider>());
            if (easyPost)
            {
                services.AddOrderFlowEasyPost(configuration);
                services.AddSingleton<ICarrierGateway>(sp => sp.GetRequiredService<EasyPostCarrierGateway>());
            }
        });

    private void Stub(string path, int status, string body) =>
        this.server.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(Response.Create()
            .WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    private List<WireMock.Logging.ILogEntry> Requests(string path) =>
        this.server.LogEntries.Where(e => e.RequestMessage.Path == path && e.RequestMessage.Method == "POST").ToList();
}
