using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Tests.Harness;

/// <summary>Workflow timings for tests: fast retries, and deadlines far enough away that only a test that shortens one sees it pass.</summary>
public static class TestSettings
{
    public static OrderWorkflowSettings Default { get; } = new(
        FulfillmentConfirmationTimeout: TimeSpan.FromMinutes(10),
        ReservationHold: TimeSpan.FromHours(1),
        CaseDeadline: TimeSpan.FromMinutes(10),
        ActivityMaxAttempts: 5,
        ActivityFirstRetryInterval: TimeSpan.FromMilliseconds(50));
}
