using OrderFlow.Domain.Cases;

namespace OrderFlow.Domain.Tests.Cases;

/// <summary>Watchdog cases: restart, cancel or acknowledge; a default, were one applied, only acknowledges.</summary>
public sealed class CasePolicyWatchdogTests
{
    [Theory]
    [InlineData(ExceptionReason.WorkflowFailed)]
    [InlineData(ExceptionReason.Stuck)]
    public void Policy_WatchdogReason_AllowsRetryCancelApprove_DefaultNeverCancels(ExceptionReason reason)
    {
        Assert.Equal([CaseResolution.RetryStep, CaseResolution.Cancel, CaseResolution.Approve], CasePolicy.AllowedResolutions(reason));
        Assert.Equal(CaseResolution.Approve, CasePolicy.DefaultOnTimeout(reason));
    }

    [Fact]
    public void ExceptionReason_WatchdogReasons_AppendedLast_StoredNumbersOfEarlierReasonsUnchanged()
    {
        Assert.Equal(16, (int)ExceptionReason.StockCommitMismatch);
        Assert.Equal(19, (int)ExceptionReason.WorkflowFailed);
        Assert.Equal(20, (int)ExceptionReason.Stuck);
    }
}
