namespace OrderFlow.Integrations.Cases;

/// <summary>Stored case statuses.</summary>
public static class CaseStatuses
{
    public const string Open = "Open";
}
