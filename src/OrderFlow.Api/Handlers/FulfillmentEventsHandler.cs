using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// POST /api/fulfillments/{fulfillmentId}/events: a location's signed word on a fulfillment ("shipped", "rejected",
/// "short", "cancelled", "picked"). Authenticates, then hands the body to the <see cref="FulfillmentEventProcessor"/>
/// the pick-and-pack page uses too, which applies and dedupes it. An event for an unknown order or fulfillment is
/// refused, never dropped silently.
/// </summary>
/// <remarks>
/// Checks in order: body size, X-OrderFlow-Signature (<see cref="CallbackAuthenticator"/>: timestamped, bound to this
/// fulfillment's path, before any storage key is built from the id or body), then the processor's checks, among them
/// that the signer's key belongs to the fulfillment's location.
/// </remarks>
public sealed class FulfillmentEventsHandler(
    IOptions<IntakeOptions> intake,
    CallbackAuthenticator callbacks,
    FulfillmentEventProcessor processor,
    ILogger<FulfillmentEventsHandler> logger)
{
    public const string SignatureHeader = CallbackAuthenticator.SignatureHeader;
    public const string Source = FulfillmentEventProcessor.Source;
    public const string Recorded = FulfillmentEventProcessor.Recorded;

    /// <summary>Longest accepted "eventId" (it becomes part of a storage key).</summary>
    public const int MaxEventIdChars = FulfillmentEventProcessor.MaxEventIdChars;

    /// <summary>Most lines one "short" may list.</summary>
    public const int MaxShortLines = FulfillmentEventProcessor.MaxShortLines;

    /// <summary>Largest quantity one short line may report.</summary>
    public const int MaxShortQuantity = FulfillmentEventProcessor.MaxShortQuantity;

    public async Task<IResult> PostAsync(string fulfillmentId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, intake.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.BadRequest("Body too large.");
        }

        var (signer, unauthorized) = callbacks.Authenticate(request, CallbackAuthenticator.FulfillmentEventsPath(fulfillmentId), body);
        if (unauthorized is not null)
        {
            return unauthorized;
        }

        var outcome = await processor.ApplyAsync(fulfillmentId, body, location => callbacks.MayReportFor(signer!, location), workflows, cancellationToken);
        switch (outcome.StatusCode)
        {
            case StatusCodes.Status202Accepted:
                return Results.Accepted(ApiRoutes.OrderUrl(outcome.Response!.OrderId), outcome.Response);
            case StatusCodes.Status401Unauthorized:
                logger.LogWarning("Fulfillment {FulfillmentId}: event signed with {Signer}, not its location's key; refused", fulfillmentId, signer);
                return CallbackAuthenticator.NotTheirs(signer!, fulfillmentId);
            case StatusCodes.Status404NotFound:
                return Problems.NotFound(outcome.Problem!);
            case StatusCodes.Status409Conflict:
                return Problems.Conflict(outcome.Problem!);
            default:
                return outcome.Succeeded ? Results.Ok(outcome.Response) : Problems.BadRequest(outcome.Problem!);
        }
    }
}
