using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Options;

/// <summary>
/// The store's fulfillment locations (section "Routing"), read by the routing activities. A location that holds stock
/// but is not listed is eligible as a warehouse serving everywhere, ranked after every listed one, unless
/// AllowUnconfiguredLocations is false.
/// </summary>
public sealed class RoutingOptions
{
    public const string Section = "Routing";

    public List<RoutingLocationOptions> Locations { get; set; } = [];

    public bool AllowUnconfiguredLocations { get; set; } = true;

    /// <summary>The listed locations as the routing policy sees them (call after validation).</summary>
    public IReadOnlyList<FulfillmentLocation> ToLocations() => Locations.Select(l => l.ToLocation()).ToList();

    /// <summary>The listed location with this id, or null.</summary>
    public FulfillmentLocation? Find(string id) =>
        Locations.FirstOrDefault(l => string.Equals(l.Id, id, StringComparison.Ordinal))?.ToLocation();
}
