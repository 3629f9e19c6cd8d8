using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Validation;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Activities;

/// <summary>
/// Revision 19 (StepsCarriedTogether): the order's first activity also does the first validation round of a run that is
/// not a restart, through the code <see cref="ValidateOrderActivity"/> uses, and returns its result with the summary; a
/// round that fails leaves the order recorded and returns none. Earlier revisions' outputs are unchanged.
/// </summary>
public sealed class ValidationCarriedActivityTests
{
    private readonly FakeDeliveryStore deliveries = new();
    private readonly FakeOrderStore orders = new(new ChangeFeed());
    private readonly FakeCatalog catalog = new();
    private readonly ListLogger<RecordOrderActivity> logger = new();

    public ValidationCarriedActivityTests() => this.catalog.Add("MUG");

    [Fact]
    public async Task Revision19_ValidOrder_RecordedThenValidated_ResultReturned_ARetryWritesNothingTwice()
    {
        var (order, input) = this.Delivered("19201", OrderWorkflowVersions.StepsCarriedTogether);

        var first = await this.RecordAsync(input);
        var again = await this.RecordAsync(input); // delivered twice by the engine

        Assert.True(first.Validation?.IsValid);
        Assert.Equal(first.Validation?.Errors, again.Validation?.Errors);
        Assert.Equal([OrderStatus.Received, OrderStatus.Validated], this.orders.HistoryOf(order.OrderId));
        Assert.Equal(["Received.", $"Validated: {OrderValidationRound.ValidNote}"], this.orders.Get(order.OrderId).Timeline.Select(t => t.Message));
        Assert.Equal(JsonSerializer.Serialize(OrderSummaries.From(order)), JsonSerializer.Serialize(first with { Validation = null }));
    }

    [Fact]
    public async Task Revision19_InvalidOrder_ResultWithItsErrors_StatusStaysReceived_AsValidateOrderActivityReturns()
    {
        var (order, input) = this.Delivered("19202", OrderWorkflowVersions.StepsCarriedTogether, "TEE");

        var carried = await this.RecordAsync(input);
        var own = await ActivityRun.RunAsync(new ValidateOrderActivity(this.orders, this.catalog, ActivityRun.Clock()), new ValidateOrderRequest(order.OrderId), order.OrderId);

        Assert.False(carried.Validation?.IsValid);
        Assert.Equal(JsonSerializer.Serialize(own), JsonSerializer.Serialize(carried.Validation));
        Assert.Equal([OrderStatus.Received], this.orders.HistoryOf(order.OrderId));
    }

    [Theory]
    [InlineData("19206", OrderWorkflowVersions.SingleParcelInline, false)]
    [InlineData("19207", OrderWorkflowVersions.StepsCarriedTogether, true)]
    public async Task EarlierRevisionOrARestart_NoValidation_OutputSerializedAsBefore(string number, int revision, bool restart)
    {
        var (order, input) = this.Delivered(number, revision);
        input = restart ? input with { Restart = new WorkflowRestart(1, "case-1", Cancel: false) } : input;

        var summary = await this.RecordAsync(input);

        Assert.Null(summary.Validation);
        Assert.Equal(JsonSerializer.Serialize(OrderSummaries.From(order)), JsonSerializer.Serialize(summary));
        Assert.DoesNotContain("Validation", JsonSerializer.Serialize(summary), StringComparison.Ordinal);
        Assert.Equal([OrderStatus.Received], this.orders.HistoryOf(order.OrderId));
        Assert.False(OrderValidationRound.RidesOnRecord(input));
    }

    [Fact]
    public async Task Revision19_CarriedRoundFails_OrderStillRecorded_NoResult_WarningNamesTheOrderIdOnly()
    {
        var (order, input) = this.Delivered("19203", OrderWorkflowVersions.StepsCarriedTogether);
        this.catalog.FailLookup.FailNext(1);

        var summary = await this.RecordAsync(input);

        Assert.Null(summary.Validation);
        Assert.Equal([OrderStatus.Received], this.orders.HistoryOf(order.OrderId));
        var warning = Assert.Single(this.logger.Records, e => e.Level == LogLevel.Warning);
        Assert.Contains(order.OrderId, warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(order.Customer.Email, warning.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(order.ShippingAddress.Line1, warning.Message, StringComparison.OrdinalIgnoreCase);

        // The workflow's own round then validates it and writes Validated, once.
        var own = await ActivityRun.RunAsync(
            new ValidateOrderActivity(this.orders, this.catalog, ActivityRun.Clock()),
            new ValidateOrderRequest(order.OrderId, OrderValidationRound.Validated(order.OrderId)),
            order.OrderId);
        Assert.True(own.IsValid);
        Assert.Equal([OrderStatus.Received, OrderStatus.Validated], this.orders.HistoryOf(order.OrderId));
    }

    [Fact]
    public async Task Revision19_StatusWriteFails_OrderStillRecorded_NoResult()
    {
        var (order, input) = this.Delivered("19204", OrderWorkflowVersions.StepsCarriedTogether);
        await this.orders.CreateAsync(order, ActivityRun.Now);
        await this.orders.TransitionAsync(order.OrderId, OrderStatus.Cancelled, "cancelled meanwhile", ActivityRun.Now);

        var summary = await this.RecordAsync(input);

        Assert.Null(summary.Validation);
        Assert.Equal([OrderStatus.Received, OrderStatus.Cancelled], this.orders.HistoryOf(order.OrderId));
    }

    [Fact]
    public void Summary_WithAResult_RoundTrips_WithoutOne_OmitsIt()
    {
        var summary = OrderSummaries.From(TestOrders.Create("19205", ("MUG", 1, 12_00)));
        var invalid = summary with { Validation = new ValidationResult([new ValidationError("lines[0].sku", "unknownSku", "SKU 'MUG' is not in the catalog.")]) };

        var read = JsonSerializer.Deserialize<OrderSummary>(JsonSerializer.Serialize(invalid))!;

        Assert.Equal(invalid.Validation!.Errors, read.Validation!.Errors);
        Assert.False(read.Validation.IsValid);
        Assert.DoesNotContain("Validation", JsonSerializer.Serialize(summary), StringComparison.Ordinal);
    }

    private (Order Order, OrderWorkflowInput Input) Delivered(string number, int revision, string sku = "MUG")
    {
        var order = TestOrders.Create(number, (sku, 2, 12_00));
        var deliveryId = $"dlv-{order.OrderId}";
        this.deliveries.Capture(deliveryId, order);
        return (order, new OrderWorkflowInput(order.OrderId, order.Source, deliveryId, TestSettings.Default, revision));
    }

    private Task<OrderSummary> RecordAsync(OrderWorkflowInput input) =>
        ActivityRun.RunAsync(
            new RecordOrderActivity(this.deliveries, this.orders, new FakePaymentEventStore(), new FakePendingCancellationStore(), this.catalog, ActivityRun.Clock(), this.logger),
            input,
            input.OrderId);
}
