namespace OrderFlow.Workflows.Approvals;

/// <summary>Why a token was accepted or refused.</summary>
public enum ApprovalTokenCheck
{
    Valid,
    Malformed,
    BadSignature,
    Expired,
    WrongCase,
    WrongAction,
}
