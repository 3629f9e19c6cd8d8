namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The sample order's SKUs and where the acceptance tests stock them: mugs in the east, tees in the west, so the order
/// splits in two. Other tests use SKUs of their own (<see cref="NewSku"/>).
/// </summary>
public static class Stock
{
    public const string Mug = "SKU-MUG";
    public const string Tee = "SKU-TEE";
    public const string East = "WH-EAST";
    public const string West = "WH-WEST";
    public const int MugsOnHand = 10;
    public const int TeesOnHand = 5;

    /// <summary>A SKU no other test uses, e.g. "MUG-1f3a9c0b2e7d", so a test's stock and reservations are its own.</summary>
    public static string NewSku(string kind) => $"{kind}-{Guid.NewGuid():N}"[..(kind.Length + 13)];

    /// <summary>Sets the counts (replacing earlier ones at these locations) and adds both SKUs to the catalog.</summary>
    public static async Task StockSampleSkusAsync(OrderFlowApi api)
    {
        await api.PutStockAsync(Mug, "Ceramic Mug", new Dictionary<string, int> { [East] = MugsOnHand });
        await api.PutStockAsync(Tee, "Logo T-Shirt", new Dictionary<string, int> { [West] = TeesOnHand });
    }
}
