namespace OrderFlow.Host.Configuration;

/// <summary>Settings of the one-machine host itself (section "Host").</summary>
public sealed class HostSettings
{
    public const string Section = "Host";

    /// <summary>
    /// Local demo only: a sandbox warehouse that reads pick lists from the queues and confirms each fulfillment
    /// as shipped after <see cref="SandboxWarehouseDelay"/>. Off by default; production locations call back instead.
    /// </summary>
    public bool SandboxWarehouse { get; set; }

    public TimeSpan SandboxWarehouseDelay { get; set; } = TimeSpan.FromSeconds(2);
}
