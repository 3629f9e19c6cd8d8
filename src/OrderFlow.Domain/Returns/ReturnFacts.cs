namespace OrderFlow.Domain.Returns;

/// <summary>
/// What the policy needs to know about an order to judge a return request.
/// </summary>
/// <param name="ReturnableFrom">When the window starts: the last delivery, else the last shipment, else the order's completion; null when none happened.</param>
/// <param name="Shipped">Units per SKU that left a location.</param>
/// <param name="AlreadyReturned">Units per SKU in earlier returns of the order that were not refused or cancelled.</param>
public sealed record ReturnFacts(
    DateTimeOffset? ReturnableFrom,
    IReadOnlyDictionary<string, int> Shipped,
    IReadOnlyDictionary<string, int> AlreadyReturned);
