using OrderFlow.Domain.Fraud;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// The fraud screening behind <see cref="AssessFraudActivity"/> and the one <see cref="VerifyPaymentActivity"/> carries
/// (<see cref="Contracts.OrderWorkflowVersions.StepsCarriedTogether"/>): the store's weighted signals plus the provider's
/// risk level, the customer's history and velocity read from the recent-orders store (keys are hashes, never the values),
/// then this order recorded there for the next ones.
/// </summary>
internal static class FraudScreening
{
    public static async Task<FraudAssessment> AssessAsync(
        IOrderStore orders, FraudThresholds thresholds, IRecentOrderStore recent, TimeProvider clock, string orderId, string? providerRiskLevel)
    {
        var record = await orders.GetAsync(orderId) ?? throw new InvalidOperationException($"Order {orderId} is not recorded.");
        var order = record.Order;
        var keys = FraudKeys.For(order);
        var now = clock.GetUtcNow();
        var history = await recent.ReadAsync(keys, order.OrderId, order.Currency, now - thresholds.VelocityWindow);
        var assessment = FraudPolicy.Assess(order, providerRiskLevel, thresholds, history);
        await recent.RecordOrderAsync(keys, order.OrderId, order.Totals.Total, now);
        return assessment;
    }
}
