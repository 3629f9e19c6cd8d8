namespace OrderFlow.Integrations.Storage;

/// <summary>Azure Storage (Tables and Queues) settings, section "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Storage account connection string; the default targets Azurite.</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Prepended to every table and queue name so environments (and test runs) can share one account.</summary>
    public string TablePrefix { get; set; } = string.Empty;
}
