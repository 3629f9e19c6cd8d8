using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Options;
using OrderFlow.Integrations.Security;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// POST /api/fulfillments/{fulfillmentId}/events: a location's signed confirmation (shipped, rejected), delivered to
/// the order's workflow. An event for an unknown order or fulfillment is refused, never dropped silently.
/// </summary>
public sealed class FulfillmentEventsHandler(IOptions<IntakeOptions> intake, IOrderStore orders, ILogger<FulfillmentEventsHandler> logger)
{
    public const string SignatureHeader = "X-OrderFlow-Signature";
    private static readonly string[] Statuses = [FulfillmentConfirmation.Shipped, FulfillmentConfirmation.Rejected];

    public async Task<IResult> PostAsync(string fulfillmentId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, intake.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.BadRequest("Body too large.");
        }

        if (!HmacSignature.Verify(body, request.Headers[SignatureHeader].ToString(), intake.Value.FulfillmentCallbackSecret))
        {
            return Problems.Unauthorized($"{SignatureHeader} is missing or does not match the body.");
        }

        FulfillmentConfirmation? evt;
        try
        {
            evt = JsonSerializer.Deserialize<FulfillmentConfirmation>(body, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"Body is not valid JSON: {ex.Message}");
        }

        if (evt is null || !Statuses.Contains(evt.Status))
        {
            return Problems.BadRequest($"\"status\" must be one of: {string.Join(", ", Statuses)}.");
        }

        var separator = fulfillmentId.LastIndexOf("-F", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return Problems.NotFound($"'{fulfillmentId}' is not a fulfillment id.");
        }

        var orderId = fulfillmentId[..separator];
        var status = await workflows.GetStatusAsync(orderId, cancellationToken);
        if (status is null)
        {
            return Problems.NotFound($"No workflow for order '{orderId}'.");
        }

        if (status.IsTerminal)
        {
            return Problems.Conflict($"Order '{orderId}' workflow already ended ({status.RuntimeStatus}); the event was not applied.");
        }

        // Routing records every fulfillment before its pick list is sent, so a real callback always finds its row;
        // an event for any other id would wait in the workflow forever, unread.
        var record = await orders.GetAsync(orderId, cancellationToken);
        if (record is null || !record.Fulfillments.Any(f => f.FulfillmentId == fulfillmentId))
        {
            return Problems.NotFound($"Order '{orderId}' has no fulfillment '{fulfillmentId}'.");
        }

        await workflows.RaiseEventAsync(orderId, FulfillmentConfirmation.EventName(fulfillmentId), evt with { FulfillmentId = fulfillmentId }, cancellationToken);
        logger.LogInformation("Fulfillment {FulfillmentId} of order {OrderId} reported {Status}", fulfillmentId, orderId, evt.Status);
        return Results.Accepted(ApiRoutes.OrderUrl(orderId));
    }
}
