namespace OrderFlow.Integrations.Channels;

/// <summary>What OrderFlow writes back to the storefront an order came from, and the case step a refused write names.</summary>
public static class WriteBackOps
{
    /// <summary>A parcel left the location: its carrier and tracking (one write per fulfillment).</summary>
    public const string Fulfillment = "fulfillment";

    public const string Hold = "hold";
    public const string Unhold = "unhold";
    public const string Cancel = "cancel";
    public const string Complete = "complete";

    /// <summary>A refund OrderFlow made outside the channel (through Stripe): recorded in the storefront (one write per refund key).</summary>
    public const string Refund = "refund";

    /// <summary>Step of the ChannelSyncFailed case a refused write-back opens ("writeback-cancel", ...): that case names the order.</summary>
    public const string StepPrefix = Workflows.Contracts.ExceptionCase.WriteBackStepPrefix;

    /// <summary>The marker a write carries where the storefront takes no idempotency key: "[orderflow:fulfillment|F-1]".</summary>
    public static string Marker(string key) => $"[orderflow:{key}]";
}
