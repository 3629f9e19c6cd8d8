using Microsoft.AspNetCore.Http;
using OrderFlow.Api.Models;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// What <see cref="FulfillmentEventProcessor"/> made of a location's event: the HTTP status it answers with and either
/// the answer (202 applied, 200 recorded or duplicate) or the reason it was refused (400, 401 not the reporter's
/// fulfillment, 404, 409).
/// </summary>
public sealed record FulfillmentEventOutcome(int StatusCode, FulfillmentEventResponse? Response, string? Problem)
{
    /// <summary>Applied, recorded or a duplicate: nothing to correct.</summary>
    public bool Succeeded => Response is not null;

    internal static FulfillmentEventOutcome Refused(int statusCode, string problem) => new(statusCode, null, problem);

    internal static FulfillmentEventOutcome Answered(int statusCode, FulfillmentEventResponse response) => new(statusCode, response, null);

    /// <summary>The reporter may not report on this fulfillment (another location's, or another key's).</summary>
    internal static FulfillmentEventOutcome NotTheirs(string fulfillmentId) =>
        Refused(StatusCodes.Status401Unauthorized, $"{fulfillmentId} belongs to another location.");
}
