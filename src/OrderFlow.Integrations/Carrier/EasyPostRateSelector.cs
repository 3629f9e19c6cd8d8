namespace OrderFlow.Integrations.Carrier;

/// <summary>
/// The store's rate rule: among the allowed carriers and services, the cheapest rate whose delivery_days is known and at
/// most MaxDeliveryDays (fewer days, then carrier and service name, break ties). When none qualifies, the configured
/// fallback: Fastest (fewest known days, then cheapest; cheapest when no rate states its days), Cheapest, or Fail (null).
/// </summary>
public static class EasyPostRateSelector
{
    public static EasyPostRate? Select(IReadOnlyList<EasyPostRate> rates, EasyPostOptions options)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(options);
        var allowed = rates
            .Where(r => Allows(options.AllowedCarriers, r.Carrier) && Allows(options.AllowedServices, r.Service))
            .ToList();
        if (allowed.Select(r => r.Cost.Currency).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            // EasyPost quotes a shipment's rates in one currency; comparing across currencies would need an FX rate.
            throw new InvalidOperationException($"EasyPost quoted rates in several currencies ({string.Join(", ", allowed.Select(r => r.Cost.Currency).Distinct(StringComparer.Ordinal))}); cannot compare them.");
        }

        var withinPromise = allowed.Where(r => r.DeliveryDays is { } days && days <= options.MaxDeliveryDays).ToList();
        if (withinPromise.Count > 0)
        {
            return Cheapest(withinPromise);
        }

        var fallback = options.Fallback ?? EasyPostOptions.FallbackFastest;
        if (allowed.Count == 0 || string.Equals(fallback, EasyPostOptions.FallbackFail, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (string.Equals(fallback, EasyPostOptions.FallbackCheapest, StringComparison.OrdinalIgnoreCase))
        {
            return Cheapest(allowed);
        }

        var known = allowed.Where(r => r.DeliveryDays is not null).ToList();
        return known.Count == 0
            ? Cheapest(allowed)
            : known.OrderBy(r => r.DeliveryDays).ThenBy(r => r.Cost.MinorUnits).ThenBy(r => r.Carrier, StringComparer.Ordinal).ThenBy(r => r.Service, StringComparer.Ordinal).First();
    }

    private static EasyPostRate Cheapest(List<EasyPostRate> rates) =>
        rates.OrderBy(r => r.Cost.MinorUnits)
            .ThenBy(r => r.DeliveryDays ?? int.MaxValue)
            .ThenBy(r => r.Carrier, StringComparer.Ordinal)
            .ThenBy(r => r.Service, StringComparer.Ordinal)
            .First();

    private static bool Allows(IReadOnlyList<string> allowed, string value) =>
        allowed.Count == 0 || allowed.Contains(value, StringComparer.OrdinalIgnoreCase);
}
