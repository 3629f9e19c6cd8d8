namespace OrderFlow.Api.Cases;

/// <summary>What became of a decision.</summary>
public enum CaseDecisionOutcome
{
    /// <summary>Recorded and delivered to the waiting workflow.</summary>
    Resolved,

    /// <summary>Recorded, but the order's workflow had already ended: nothing resumed.</summary>
    WorkflowEnded,

    /// <summary>The case was no longer open (someone else decided first); nothing changed.</summary>
    NotOpen,

    /// <summary>The case's deadline had passed and its default policy applied; nothing changed.</summary>
    DeadlinePassed,

    /// <summary>The resolution is not one the case allows; nothing changed.</summary>
    NotAllowed,

    /// <summary>CorrectAddress without a complete corrected address; nothing changed.</summary>
    AddressRequired,

    /// <summary>RetryStep or Cancel on a WorkflowFailed case whose workflow cannot be restarted now; nothing changed.</summary>
    RestartRefused,
}
