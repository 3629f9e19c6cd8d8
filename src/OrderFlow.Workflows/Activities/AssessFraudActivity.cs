using Microsoft.DurableTask;
using OrderFlow.Domain.Fraud;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 5: scores fraud risk with the store's weighted signals plus the provider's risk level. Reads the customer's
/// history and the velocity counts from the recent-orders store (keys are hashes, never the values), then records this
/// order there for the next ones. The assessment (score, reasons, outcome) is the activity result, so it is in the
/// workflow history and a replay never scores again.
/// </summary>
public sealed class AssessFraudActivity(IOrderStore orders, FraudThresholds thresholds, IRecentOrderStore recent, TimeProvider clock)
    : TaskActivity<AssessFraudRequest, FraudAssessment>
{
    public override async Task<FraudAssessment> RunAsync(TaskActivityContext context, AssessFraudRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var record = await orders.GetAsync(input.OrderId) ?? throw new InvalidOperationException($"Order {input.OrderId} is not recorded.");
        var order = record.Order;
        var keys = FraudKeys.For(order);
        var now = clock.GetUtcNow();
        var history = await recent.ReadAsync(keys, order.OrderId, order.Currency, now - thresholds.VelocityWindow);
        var assessment = FraudPolicy.Assess(order, input.ProviderRiskLevel, thresholds, history);
        await recent.RecordOrderAsync(keys, order.OrderId, order.Totals.Total, now);
        return assessment;
    }
}
