namespace OrderFlow.Domain.Cases;

/// <summary>What a person (or the deadline's default policy) decided for a case.</summary>
public enum CaseResolution
{
    Approve,
    RetryStep,
    Cancel,

    /// <summary>A person supplies a corrected shipping address (carried on the decision); the step then runs again.</summary>
    CorrectAddress,
}
