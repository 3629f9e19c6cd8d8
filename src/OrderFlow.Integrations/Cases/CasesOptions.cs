namespace OrderFlow.Integrations.Cases;

/// <summary>Who is alerted when a case opens, section "Cases".</summary>
public sealed class CasesOptions
{
    public const string Section = "Cases";

    public string ApproverEmail { get; set; } = string.Empty;
}
