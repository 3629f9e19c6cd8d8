using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api;

/// <summary>Maps the public HTTP contract onto the shared handlers for an ASP.NET Core host.</summary>
public static class OrderFlowEndpoints
{
    public static IEndpointRouteBuilder MapOrderFlowEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/" + ApiRoutes.Prefix);
        api.MapPaymentEndpoints();

        api.MapPost(ApiRoutes.ShopifyOrdersCreate, (HttpRequest request, ShopifyWebhookHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.OrdersCreateAsync(request, workflows, ct))
            .WithName("ShopifyOrdersCreate")
            .WithSummary("Shopify orders/create webhook: verify HMAC, dedupe, start the order workflow.")
            .Produces<IntakeResponse>(StatusCodes.Status202Accepted)
            .Produces<IntakeResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet(ApiRoutes.Order, (string orderId, HttpRequest request, OrderQueryHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.GetAsync(orderId, request, workflows, ct))
            .WithName("GetOrder")
            .WithSummary("Order status, lines, fulfillments with tracking, and timeline. No PII: customer emails link here.")
            .Produces<OrderView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPut(ApiRoutes.Inventory, (string sku, HttpRequest request, InventoryHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.PutAsync(sku, request, workflows, ct))
            .WithName("PutInventory")
            .RequiresOperatorKey()
            .WithSummary("Set on-hand stock per location for a SKU (adds it to the catalog) (X-Operator-Key).")
            .Accepts<StockUpdate>("application/json")
            .Produces<StockView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet(ApiRoutes.Inventory, (string sku, HttpRequest request, InventoryHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.GetAsync(sku, request, workflows, ct))
            .WithName("GetInventory")
            .RequiresOperatorKey()
            .WithSummary("Stock of a SKU per location, with the orders holding reservations (X-Operator-Key).")
            .Produces<StockView>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost(ApiRoutes.FulfillmentEvents, (string fulfillmentId, HttpRequest request, FulfillmentEventsHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.PostAsync(fulfillmentId, request, workflows, ct))
            .WithName("PostFulfillmentEvent")
            .WithSummary("Signed callback from a location: a fulfillment shipped or was rejected.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet(NotificationPreviewHandler.Route, (string template, string? format, NotificationPreviewHandler handler) =>
                handler.Get(template, format))
            .WithName("PreviewNotification")
            .WithSummary("A customer email template rendered with a sample order (format=html|text); 404 lists the known templates.")
            .Produces<string>(StatusCodes.Status200OK, "text/html", "text/plain")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapCaseEndpoints();
        api.MapReconciliationEndpoints();
        return app;
    }
}
