namespace OrderFlow.Workflows.Approvals;

/// <summary>Signed approval links, section "Approvals".</summary>
public sealed class ApprovalsOptions
{
    public const string Section = "Approvals";

    /// <summary>HMAC-SHA256 key for approval tokens; at least 32 characters.</summary>
    public string SigningKey { get; set; } = string.Empty;

    /// <summary>How long a link in an approver email stays valid.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(72);

    /// <summary>Where approvers reach the app (scheme + host, optional path); links are this + "/api/approvals/{token}".</summary>
    public string PublicBaseUrl { get; set; } = string.Empty;
}
