namespace OrderFlow.Integrations.Cases;

/// <summary>Who is alerted when a case opens, section "Cases".</summary>
public sealed class CasesOptions
{
    public const string Section = "Cases";

    public string ApproverEmail { get; set; } = string.Empty;

    /// <summary>The next tier, reminded when a case is still open at its first deadline; empty means the approvers again.</summary>
    public string EscalationEmail { get; set; } = string.Empty;

    /// <summary>
    /// How often the one-machine host's case sweeper runs (decisions recorded but not delivered, alerts that never went
    /// out). The Functions app runs the same pass every minute on a fixed schedule.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    public string ReminderRecipient => string.IsNullOrWhiteSpace(EscalationEmail) ? ApproverEmail : EscalationEmail;

    /// <summary>
    /// Optional incoming-webhook URL of a chat channel (Slack or Teams); every case alert is also posted there. The URL
    /// carries a secret token (a Key Vault secret on Azure). Empty or the infra's "UNSET" placeholder: chat alerts off.
    /// </summary>
    public string ChatWebhookUrl { get; set; } = string.Empty;

    public bool ChatEnabled => Workflows.Options.SecretSetting.IsSet(ChatWebhookUrl);
}
