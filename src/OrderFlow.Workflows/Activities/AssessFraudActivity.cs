using Microsoft.DurableTask;
using OrderFlow.Domain.Fraud;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Step 5: scores fraud risk with the store's rules plus the provider's risk level.</summary>
public sealed class AssessFraudActivity(IOrderStore orders, FraudThresholds thresholds) : TaskActivity<AssessFraudRequest, FraudAssessment>
{
    public override async Task<FraudAssessment> RunAsync(TaskActivityContext context, AssessFraudRequest input)
    {
        var record = await orders.GetAsync(input.OrderId) ?? throw new InvalidOperationException($"Order {input.OrderId} is not recorded.");
        return FraudPolicy.Assess(record.Order, input.ProviderRiskLevel, thresholds);
    }
}
