namespace OrderFlow.Integrations.Cases;

/// <summary>Who is alerted when a case opens, section "Cases".</summary>
public sealed class CasesOptions
{
    public const string Section = "Cases";

    public string ApproverEmail { get; set; } = string.Empty;

    /// <summary>The next tier, reminded when a case is still open at its first deadline; empty means the approvers again.</summary>
    public string EscalationEmail { get; set; } = string.Empty;

    public string ReminderRecipient => string.IsNullOrWhiteSpace(EscalationEmail) ? ApproverEmail : EscalationEmail;
}
