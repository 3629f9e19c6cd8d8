using OrderFlow.Domain.Orders;

namespace OrderFlow.Domain.Routing;

/// <summary>
/// Chooses where each unit of an order comes from, before anything is reserved. Pure and deterministic.
/// <list type="number">
/// <item>Physical lines: a location is eligible when it ships (not digital-only, not pickup-only), serves the ship-to
/// region and stocks at least one demanded unit. Locations with stock that are not configured count as eligible
/// warehouses serving everywhere, ranked after every configured one (unless the caller disallows them).</item>
/// <item>The smallest set of eligible locations that holds every unit available to this order wins: one location when
/// one covers everything, otherwise the fewest shipments (an exact search over subsets, smallest first, up to
/// <see cref="MaxExactSearchLocations"/> eligible locations; beyond that a greedy cover). Ties: priorities (the worst
/// member first), total zone distance to the ship-to, the slowest handling time, then location ids.</item>
/// <item>When no set covers everything, the units that exist are allocated the same way and each missing unit is
/// reported as a shortage; nothing is clamped silently.</item>
/// <item>Digital lines need no stock and no shipment: they go to the best configured digital location that serves the
/// ship-to region, or to <see cref="DigitalLocationId"/> when the store configures none.</item>
/// </list>
/// Longer than 400 lines on purpose: the eligibility rules, the exact and greedy covers and the tie-breaks are one
/// decision and are tested as one (AllocationPolicyTests).
/// </summary>
public static class AllocationPolicy
{
    /// <summary>Eligible locations searched exactly (at most 2^12 - 1 = 4,095 sets); more fall back to a greedy cover.</summary>
    public const int MaxExactSearchLocations = 12;

    /// <summary>Where digital lines go when no digital location is configured.</summary>
    public const string DigitalLocationId = "digital";

    /// <summary>Tied multi-location sets listed among the candidates; the rest are counted in the reason.</summary>
    public const int MaxListedSets = 10;

    public static AllocationDecision Allocate(
        IEnumerable<DemandLine> demand,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> availability,
        IEnumerable<FulfillmentLocation> locations,
        Address shipTo,
        bool allowUnconfiguredLocations = true)
    {
        ArgumentNullException.ThrowIfNull(availability);
        var lines = Normalize(demand);
        var configured = Configured(locations);
        var region = ShipToRegion.Of(shipTo);

        var candidates = new List<AllocationCandidate>();
        var allocations = new List<Allocation>();
        var reasons = new List<string>();

        var physical = lines.Where(l => !l.IsDigital).ToList();
        if (physical.Count > 0)
        {
            reasons.Add(AllocatePhysical(physical, availability, configured, region, allowUnconfiguredLocations, candidates, allocations));
        }

        var digital = lines.Where(l => l.IsDigital).ToList();
        if (digital.Count > 0)
        {
            reasons.Add(AllocateDigital(digital, configured, region, candidates, allocations));
        }

        var shortages = lines
            .Select(l => new AllocationShortage(l.Sku, l.Quantity, allocations.Where(a => a.Sku == l.Sku).Sum(a => a.Quantity)))
            .Where(s => s.Missing > 0)
            .ToList();
        if (shortages.Count > 0)
        {
            reasons.Add("Short: " + string.Join(", ", shortages.Select(s => $"{s.Sku} {s.Missing} of {s.Requested} missing")) + ".");
        }

        if (lines.Count == 0)
        {
            reasons.Add("Nothing to allocate.");
        }

        var ordered = allocations
            .OrderBy(a => a.LocationId, StringComparer.Ordinal)
            .ThenBy(a => a.Sku, StringComparer.Ordinal)
            .ToList();
        return new AllocationDecision(ordered, shortages, candidates, string.Join(" ", reasons));
    }

    private static string AllocatePhysical(
        List<DemandLine> lines,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> availability,
        IReadOnlyList<FulfillmentLocation> configured,
        ShipToRegion region,
        bool allowUnconfigured,
        List<AllocationCandidate> candidates,
        List<Allocation> allocations)
    {
        var total = lines.Sum(l => l.Quantity);
        var sites = Sites(lines, availability, configured, region);
        var eligible = new List<Site>();
        var ineligible = new List<AllocationCandidate>();
        foreach (var site in sites)
        {
            var why = Ineligibility(site, region, allowUnconfigured);
            if (why is null)
            {
                eligible.Add(site);
            }
            else
            {
                ineligible.Add(new AllocationCandidate([site.Location.Id], false, why));
            }
        }

        eligible.Sort(CompareRank);
        foreach (var site in eligible)
        {
            var single = Evaluate([site], lines);
            candidates.Add(new AllocationCandidate(
                [site.Location.Id],
                true,
                $"{(site.Configured ? string.Empty : "not configured, ranked after configured locations; ")}serves {region.Code}; "
                    + $"zone {site.Zone}; priority {site.Location.Priority}; handling {site.Location.HandlingDays} day(s); "
                    + $"stocks {single.Score.UnitsCovered} of {total} unit(s)",
                single.Score));
        }

        candidates.AddRange(ineligible);

        var target = Evaluate(eligible, lines).Score.UnitsCovered;
        if (target == 0)
        {
            return $"No eligible location has stock of the {total} physical unit(s) for {region.Code}.";
        }

        string reason;
        IReadOnlyList<Site> chosen;
        if (eligible.Count > MaxExactSearchLocations)
        {
            chosen = GreedyCover(eligible, lines, target);
            reason = $"{eligible.Count} eligible locations exceed the exact search limit of {MaxExactSearchLocations}, so the cover was "
                + $"chosen greedily (most units first; possibly not the fewest shipments): {Ids(chosen)} in {chosen.Count} shipment(s).";
        }
        else
        {
            var (winners, size) = FewestShipments(eligible, lines, target);
            chosen = winners[0].Sites;
            reason = Explain(winners, size, target, total, eligible, lines);
            if (size > 1)
            {
                candidates.AddRange(winners.Take(MaxListedSets).Select(w => new AllocationCandidate(
                    w.Sites.Select(s => s.Location.Id).ToList(),
                    true,
                    $"{size} locations together hold {target} of {total} unit(s)",
                    w.Score)));
            }
        }

        Fill(chosen, lines, allocations);
        return reason;
    }

    /// <summary>Every set of the smallest size that holds <paramref name="target"/> units, best first.</summary>
    private static (List<Contender> Winners, int Size) FewestShipments(List<Site> eligible, List<DemandLine> lines, int target)
    {
        for (var size = 1; size <= eligible.Count; size++)
        {
            var winners = Combinations(eligible.Count, size)
                .Select(indices => Evaluate(indices.Select(i => eligible[i]).ToList(), lines))
                .Where(c => c.Score.UnitsCovered == target)
                .ToList();
            if (winners.Count > 0)
            {
                winners.Sort(CompareContenders);
                return (winners, size);
            }
        }

        // Unreachable: the full eligible set holds the target by definition.
        throw new InvalidOperationException("No set of eligible locations holds the available units.");
    }

    private static List<Site> GreedyCover(List<Site> eligible, List<DemandLine> lines, int target)
    {
        var chosen = new List<Site>();
        var covered = 0;
        while (covered < target)
        {
            // Eligible is in rank order, so the first location adding the most units wins a tie.
            var next = eligible
                .Where(s => !chosen.Contains(s))
                .Select(s => (Site: s, Covered: Evaluate([.. chosen, s], lines).Score.UnitsCovered))
                .Aggregate((best, c) => c.Covered > best.Covered ? c : best);
            chosen.Add(next.Site);
            covered = next.Covered;
        }

        chosen.Sort(CompareRank);
        return chosen;
    }

    /// <summary>Per SKU: the best-ranked chosen location holding all of it, otherwise chosen locations in rank order.</summary>
    private static void Fill(IReadOnlyList<Site> chosen, List<DemandLine> lines, List<Allocation> allocations)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var remaining = lines[i].Quantity;
            var whole = chosen.FirstOrDefault(s => s.Stock[i] >= remaining);
            foreach (var site in whole is null ? chosen : [whole])
            {
                var take = Math.Min(site.Stock[i], remaining);
                if (take > 0)
                {
                    allocations.Add(new Allocation(lines[i].Sku, site.Location.Id, take, site.Location.Kind, site.Location.Method));
                    remaining -= take;
                }
            }
        }
    }

    private static string AllocateDigital(
        List<DemandLine> lines,
        IReadOnlyList<FulfillmentLocation> configured,
        ShipToRegion region,
        List<AllocationCandidate> candidates,
        List<Allocation> allocations)
    {
        var skus = string.Join(", ", lines.Select(l => l.Sku));
        var digitalSites = configured
            .Where(l => l.IsDigital)
            .OrderBy(l => l.Priority)
            .ThenBy(l => l.Id, StringComparer.Ordinal)
            .ToList();

        FulfillmentLocation? winner;
        if (digitalSites.Count == 0)
        {
            winner = new FulfillmentLocation(DigitalLocationId, LocationKind.Digital, FulfillmentMethod.DigitalDelivery, [FulfillmentLocation.Everywhere], 0, 0);
            candidates.Add(new AllocationCandidate([DigitalLocationId], true, "no digital location is configured: digital lines are delivered directly, without stock or shipment"));
        }
        else
        {
            winner = digitalSites.FirstOrDefault(region.IsServedBy);
            candidates.AddRange(digitalSites.Select(l => region.IsServedBy(l)
                ? new AllocationCandidate([l.Id], true, $"digital delivery; serves {region.Code}; priority {l.Priority}; needs no stock or shipment")
                : new AllocationCandidate([l.Id], false, $"digital delivery; does not serve {region.Code}")));
        }

        if (winner is null)
        {
            return $"No digital location serves {region.Code}, so digital line(s) {skus} are not allocated.";
        }

        allocations.AddRange(lines.Select(l => new Allocation(l.Sku, winner.Id, l.Quantity, winner.Kind, winner.Method, IsDigital: true)));
        return $"Digital line(s) {skus} need no stock or shipment: delivered by {winner.Id} ({winner.Method}).";
    }

    private static string Explain(List<Contender> winners, int size, int target, int total, List<Site> eligible, List<DemandLine> lines)
    {
        var winner = winners[0];
        var ids = Ids(winner.Sites);
        string reason;
        if (size == 1)
        {
            reason = target == total
                ? $"{ids} holds all {total} unit(s): one shipment."
                : $"Only {target} of {total} unit(s) are in stock at eligible locations; {ids} holds them all: one shipment.";
        }
        else
        {
            var bestSingle = eligible.Max(s => Evaluate([s], lines).Score.UnitsCovered);
            reason = (target == total
                    ? $"No single location holds all {total} unit(s) (the best holds {bestSingle}); "
                    : $"Only {target} of {total} unit(s) are in stock at eligible locations and no single one holds them all (the best holds {bestSingle}); ")
                + $"{size} shipments is the fewest, {winners.Count} set(s) of {size} hold them; {ids} chosen.";
        }

        return winners.Count > 1
            ? reason[..^1] + $", ahead of {Ids(winners[1].Sites)} on {Criterion(winner, winners[1])}."
            : reason;
    }

    /// <summary>The first score field that separates the winner from the runner-up, in words.</summary>
    private static string Criterion(Contender winner, Contender runnerUp)
    {
        var w = winner.Score;
        var r = runnerUp.Score;
        if (ComparePriorities(w.Priorities, r.Priorities) != 0)
        {
            return $"priority {Join(w.Priorities)} vs {Join(r.Priorities)}";
        }

        if (w.ZoneDistance != r.ZoneDistance)
        {
            return winner.Sites.Count == 1
                ? $"zone {winner.Sites[0].Zone} vs {runnerUp.Sites[0].Zone}"
                : $"total zone distance {w.ZoneDistance} vs {r.ZoneDistance}";
        }

        return w.HandlingDays != r.HandlingDays
            ? $"handling time {w.HandlingDays} vs {r.HandlingDays} day(s)"
            : "location id order";
    }

    private static string? Ineligibility(Site site, ShipToRegion region, bool allowUnconfigured)
    {
        var location = site.Location;
        if (location.IsDigital)
        {
            return "delivers digital goods only";
        }

        if (location.IsPickupOnly)
        {
            return "local pickup only; this order ships";
        }

        if (!site.Configured && !allowUnconfigured)
        {
            return "not a configured location";
        }

        if (!region.IsServedBy(location))
        {
            return $"does not serve {region.Code} (serves {string.Join(", ", location.Regions)})";
        }

        return site.Stock.All(s => s == 0) ? "no stock of the ordered SKUs" : null;
    }

    /// <summary>Configured locations plus every other location holding a demanded SKU, with its usable stock per line.</summary>
    private static List<Site> Sites(
        List<DemandLine> lines,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> availability,
        IReadOnlyList<FulfillmentLocation> configured,
        ShipToRegion region)
    {
        var worst = configured.Count == 0 ? -1 : configured.Max(l => l.Priority);
        var fallbackPriority = worst == int.MaxValue ? worst : worst + 1;
        var byId = configured.ToDictionary(l => l.Id, StringComparer.Ordinal);
        var stocked = lines
            .SelectMany(l => availability.TryGetValue(l.Sku, out var at) ? at.Where(kv => kv.Value > 0).Select(kv => kv.Key) : [])
            .Where(id => !byId.ContainsKey(id));

        return configured.Select(l => l.Id)
            .Concat(stocked)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(id =>
            {
                var isConfigured = byId.TryGetValue(id, out var location);
                location ??= new FulfillmentLocation(id, LocationKind.Warehouse, FulfillmentMethod.OwnWarehouse, [FulfillmentLocation.Everywhere], fallbackPriority, 0);
                var stock = lines
                    .Select(l => availability.TryGetValue(l.Sku, out var at) && at.TryGetValue(id, out var units) ? Math.Max(units, 0) : 0)
                    .ToArray();
                return new Site(location, isConfigured, region.ZoneOf(location), stock);
            })
            .ToList();
    }

    private static Contender Evaluate(IReadOnlyList<Site> sites, List<DemandLine> lines)
    {
        var covered = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            covered += Math.Min(lines[i].Quantity, sites.Sum(s => s.Stock[i]));
        }

        var score = new AllocationScore(
            covered,
            sites.Count,
            sites.Select(s => s.Location.Priority).OrderDescending().ToList(),
            sites.Sum(s => (int)s.Zone),
            sites.Count == 0 ? 0 : sites.Max(s => s.Location.HandlingDays));
        return new Contender(sites, score);
    }

    private static IEnumerable<int[]> Combinations(int n, int size)
    {
        var indices = Enumerable.Range(0, size).ToArray();
        while (true)
        {
            yield return [.. indices];
            var i = size - 1;
            while (i >= 0 && indices[i] == n - size + i)
            {
                i--;
            }

            if (i < 0)
            {
                yield break;
            }

            indices[i]++;
            for (var j = i + 1; j < size; j++)
            {
                indices[j] = indices[j - 1] + 1;
            }
        }
    }

    private static int CompareContenders(Contender a, Contender b)
    {
        var c = b.Score.UnitsCovered.CompareTo(a.Score.UnitsCovered);
        c = c != 0 ? c : a.Score.Shipments.CompareTo(b.Score.Shipments);
        c = c != 0 ? c : ComparePriorities(a.Score.Priorities, b.Score.Priorities);
        c = c != 0 ? c : a.Score.ZoneDistance.CompareTo(b.Score.ZoneDistance);
        c = c != 0 ? c : a.Score.HandlingDays.CompareTo(b.Score.HandlingDays);
        return c != 0 ? c : string.CompareOrdinal(SortedIds(a.Sites), SortedIds(b.Sites));
    }

    /// <summary>Both lists are sorted worst (highest) first; compared element by element.</summary>
    private static int ComparePriorities(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            if (a[i] != b[i])
            {
                return a[i].CompareTo(b[i]);
            }
        }

        return a.Count.CompareTo(b.Count);
    }

    private static int CompareRank(Site a, Site b)
    {
        var c = a.Location.Priority.CompareTo(b.Location.Priority);
        c = c != 0 ? c : a.Zone.CompareTo(b.Zone);
        c = c != 0 ? c : a.Location.HandlingDays.CompareTo(b.Location.HandlingDays);
        return c != 0 ? c : string.CompareOrdinal(a.Location.Id, b.Location.Id);
    }

    /// <summary>One line per SKU (quantities summed), in SKU order; a SKU cannot be both digital and physical.</summary>
    private static List<DemandLine> Normalize(IEnumerable<DemandLine> demand)
    {
        ArgumentNullException.ThrowIfNull(demand);
        var lines = new List<DemandLine>();
        foreach (var group in demand.GroupBy(d => d.Sku, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(group.Key, nameof(demand));
            if (group.Any(d => d.Quantity <= 0))
            {
                throw new ArgumentException($"Demand for {group.Key} must be positive.", nameof(demand));
            }

            if (group.Select(d => d.IsDigital).Distinct().Count() > 1)
            {
                throw new ArgumentException($"{group.Key} is demanded both as digital and as physical.", nameof(demand));
            }

            lines.Add(new DemandLine(group.Key, group.Sum(d => d.Quantity), group.First().IsDigital));
        }

        return lines;
    }

    private static List<FulfillmentLocation> Configured(IEnumerable<FulfillmentLocation> locations)
    {
        ArgumentNullException.ThrowIfNull(locations);
        var list = locations.ToList();
        var duplicate = list.GroupBy(l => l.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? list : throw new ArgumentException($"Location {duplicate.Key} is configured more than once.", nameof(locations));
    }

    private static string Ids(IReadOnlyList<Site> sites) => string.Join(" + ", sites.Select(s => s.Location.Id));

    private static string SortedIds(IReadOnlyList<Site> sites) => string.Join("\n", sites.Select(s => s.Location.Id).Order(StringComparer.Ordinal));

    private static string Join(IReadOnlyList<int> priorities) => priorities.Count == 1 ? $"{priorities[0]}" : $"[{string.Join(", ", priorities)}]";

    /// <summary>A location with its usable stock per demand line (same order as the lines).</summary>
    private sealed record Site(FulfillmentLocation Location, bool Configured, ShippingZone Zone, int[] Stock);

    private sealed record Contender(IReadOnlyList<Site> Sites, AllocationScore Score);
}
