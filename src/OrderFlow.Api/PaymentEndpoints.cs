using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.RateLimiting;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api;

/// <summary>Maps the payment provider endpoints (Stripe webhooks) and the generic signed order intake onto their shared handlers.</summary>
public static class PaymentEndpoints
{
    public static RouteGroupBuilder MapPaymentEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost(StripeWebhookHandler.Route, (HttpRequest request, StripeWebhookHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.PostAsync(request, workflows, ct))
            .WithName("StripeWebhook")
            .RateLimitedAs(InboundRateLimits.Webhooks)
            .WithSummary("Stripe webhook: verify Stripe-Signature, dedupe on the event id, relay payment events to the order's workflow (or hold them until the order arrives).")
            .Produces<PaymentEventResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapPost(GenericOrderHandler.Route, (HttpRequest request, GenericOrderHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.PostAsync(request, workflows, ct))
            .WithName("PostOrder")
            .RateLimitedAs(InboundRateLimits.Webhooks)
            .WithSummary("Generic order intake: canonical order JSON signed with X-OrderFlow-Signature (or X-Api-Key); same dedupe and start path as Shopify.")
            .Produces<IntakeResponse>(StatusCodes.Status202Accepted)
            .Produces<IntakeResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }
}
