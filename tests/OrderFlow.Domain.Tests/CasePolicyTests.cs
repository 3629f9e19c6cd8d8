using OrderFlow.Domain.Cases;

namespace OrderFlow.Domain.Tests;

public class CasePolicyTests
{
    [Theory]
    [InlineData(ExceptionReason.DeliveryException)]
    [InlineData(ExceptionReason.IntakeRejected)]
    public void CasesNoWorkflowWaitsFor_OnlyAcknowledge(ExceptionReason reason)
    {
        // Opened by a webhook handler: nothing could retry a step or cancel through a workflow, so Approve is the only choice.
        Assert.Equal([CaseResolution.Approve], CasePolicy.AllowedResolutions(reason));
        Assert.Equal(CaseResolution.Approve, CasePolicy.DefaultOnTimeout(reason));
    }

    [Fact]
    public void ExceptionReason_NewReasonsAppendedLast_EarlierNumbersUnchanged()
    {
        // Workflow histories store the number: a reason inserted in the middle would renumber every later one.
        Assert.Equal(16, (int)ExceptionReason.StockCommitMismatch);
        Assert.Equal(17, (int)ExceptionReason.DeliveryException);
        Assert.Equal(18, (int)ExceptionReason.IntakeRejected);
        Assert.Equal(21, (int)ExceptionReason.LabelVoidRejected);
        Assert.Equal(22, (int)ExceptionReason.LocationCancelUnconfirmed);
        Assert.Equal(23, (int)ExceptionReason.ChannelSyncFailed);
    }

    [Fact]
    public void ChannelSyncFailed_OnlyAcknowledged_AndApproveIsTheDefault()
    {
        Assert.Equal([CaseResolution.Approve], CasePolicy.AllowedResolutions(ExceptionReason.ChannelSyncFailed));
        Assert.Equal(CaseResolution.Approve, CasePolicy.DefaultOnTimeout(ExceptionReason.ChannelSyncFailed));
    }
}
