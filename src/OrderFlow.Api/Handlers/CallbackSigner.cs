namespace OrderFlow.Api.Handlers;

/// <summary>
/// Who signed a callback: a location with its own key (FulfillmentPartners:Locations:N:Secret), or, with
/// <see cref="Location"/> null, the shared Intake:FulfillmentCallbackSecret of the locations that have none.
/// </summary>
public sealed record CallbackSigner(string? Location)
{
    public static readonly CallbackSigner Shared = new((string?)null);

    public override string ToString() => Location is null ? "the shared callback key" : $"location {Location}'s key";
}
