using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Options;

/// <summary>One entry of Routing:Locations. Kind and Method are names of <see cref="LocationKind"/> and <see cref="FulfillmentMethod"/>.</summary>
public sealed class RoutingLocationOptions
{
    /// <summary>The location id the inventory uses (e.g. "WH-EAST").</summary>
    public string Id { get; set; } = string.Empty;

    public string Kind { get; set; } = nameof(LocationKind.Warehouse);

    public string Method { get; set; } = nameof(FulfillmentMethod.OwnWarehouse);

    /// <summary>ISO country codes ("US"), subdivisions ("US-CA") or "*"; an entry may also hold several separated by commas.</summary>
    public List<string> Regions { get; set; } = [];

    /// <summary>Lower is preferred.</summary>
    public int Priority { get; set; }

    public int HandlingDays { get; set; }

    /// <summary>Where the location itself is (ISO country, subdivision, postal prefix): the zone tie-break.</summary>
    public string? Country { get; set; }

    public string? Subdivision { get; set; }

    public string? PostalPrefix { get; set; }

    /// <summary>Regions with comma-separated entries split and blanks dropped.</summary>
    public IReadOnlyList<string> RegionCodes() =>
        Regions.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    public FulfillmentLocation ToLocation() => new(
        Id.Trim(),
        Enum.Parse<LocationKind>(Kind, ignoreCase: true),
        Enum.Parse<FulfillmentMethod>(Method, ignoreCase: true),
        RegionCodes(),
        Priority,
        HandlingDays,
        Blank(Country),
        Blank(Subdivision),
        Blank(PostalPrefix));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
