using Microsoft.DurableTask;
using OrderFlow.Domain.Fraud;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 5: scores fraud risk (<see cref="FraudScreening"/>): the store's weighted signals plus the provider's risk level,
/// the customer's history and velocity from the recent-orders store, then this order recorded there. The assessment
/// (score, reasons, outcome) is the activity result, so it is in the workflow history and a replay never scores again.
/// </summary>
public sealed class AssessFraudActivity(IOrderStore orders, FraudThresholds thresholds, IRecentOrderStore recent, TimeProvider clock)
    : TaskActivity<AssessFraudRequest, FraudAssessment>
{
    public override Task<FraudAssessment> RunAsync(TaskActivityContext context, AssessFraudRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return FraudScreening.AssessAsync(orders, thresholds, recent, clock, input.OrderId, input.ProviderRiskLevel);
    }
}
