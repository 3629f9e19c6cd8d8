namespace OrderFlow.Functions.Storage;

/// <summary>
/// Identity-based access to OrderFlow's tables and queues (section "Storage"), for accounts that allow no shared keys
/// (infra/app.bicep). When both service URIs are set they win over <c>Storage:ConnectionString</c>.
/// </summary>
public sealed class IdentityStorageOptions
{
    public const string Section = "Storage";

    /// <summary>e.g. https://{account}.table.core.windows.net/</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>e.g. https://{account}.queue.core.windows.net/</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity; empty: the default Azure credential chain (local az login).</summary>
    public string? ClientId { get; set; }

    public bool IsConfigured => TableServiceUri is not null && QueueServiceUri is not null;
}
