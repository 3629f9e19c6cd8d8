namespace OrderFlow.Integrations.Configuration;

/// <summary>Which adapter serves each port, section "Adapters". Values are case-insensitive.</summary>
public sealed class AdaptersOptions
{
    public const string Section = "Adapters";
    public const string Sandbox = "Sandbox";
    public const string Queue = "Queue";
    public const string Stripe = "Stripe";
    public const string QuickBooks = "QuickBooks";
    public const string EasyPost = "EasyPost";

    public static IReadOnlyList<string> PaymentValues { get; } = [Sandbox, Stripe];

    public static IReadOnlyList<string> CarrierValues { get; } = [Sandbox, EasyPost];

    public static IReadOnlyList<string> AccountingValues { get; } = [Sandbox, QuickBooks];

    public static IReadOnlyList<string> FulfillmentValues { get; } = [Queue];

    public string Payment { get; set; } = Sandbox;

    public string Carrier { get; set; } = Sandbox;

    public string Accounting { get; set; } = Sandbox;

    public string Fulfillment { get; set; } = Queue;

    /// <summary>
    /// In the Production environment the hosts refuse to start with a Sandbox adapter (or the host's sandbox warehouse)
    /// unless this is set to true explicitly: sandboxes treat almost any payment as paid and ship nothing real.
    /// </summary>
    public bool AllowSandboxInProduction { get; set; }

    /// <summary>The ports (by configuration key) served by a Sandbox adapter.</summary>
    public IEnumerable<string> SandboxKeys()
    {
        foreach (var (key, value) in new[] { ("Adapters:Payment", Payment), ("Adapters:Carrier", Carrier), ("Adapters:Accounting", Accounting) })
        {
            if (string.Equals(value?.Trim(), Sandbox, StringComparison.OrdinalIgnoreCase))
            {
                yield return key;
            }
        }
    }
}
