using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Api.RateLimiting;
using OrderFlow.Api.Returns;
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
            .RateLimitedAs(InboundRateLimits.Webhooks)
            .WithSummary("Shopify orders/create webhook: verify HMAC, dedupe, start the order workflow; a signed order that cannot be mapped is kept, opens an IntakeRejected case and answers 200 rejected-needs-review.")
            .Produces<IntakeResponse>(StatusCodes.Status202Accepted)
            .Produces<IntakeResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPost(ApiRoutes.ShopifyOrdersCancelled, (HttpRequest request, ShopifyCancellationHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.OrdersCancelledAsync(request, workflows, ct))
            .WithName("ShopifyOrdersCancelled")
            .RateLimitedAs(InboundRateLimits.Webhooks)
            .WithSummary("Shopify orders/cancelled webhook: verify HMAC, dedupe, raise a whole-order cancellation to the workflow; unknown or finished orders are recorded (unmatched, too-late); a signed cancellation with no order id is kept, opens an IntakeRejected case and answers 200 rejected-needs-review.")
            .Produces<IntakeResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost(ApiRoutes.ShopifyOrdersPaid, (HttpRequest request, ShopifyPaymentHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.OrdersPaidAsync(request, workflows, ct))
            .WithName("ShopifyOrdersPaid")
            .RateLimitedAs(InboundRateLimits.Webhooks)
            .WithSummary("Shopify orders/paid webhook: verify HMAC, dedupe, mark a Shopify-paid order paid and retry the PaymentFailed case that holds it (Payments:PendingPolicy=Hold); unknown orders are recorded (unmatched), Stripe-paid ones ignored.")
            .Produces<IntakeResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost(WooCommerceWebhookHandler.Route, (HttpRequest request, WooCommerceWebhookHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.OrdersAsync(request, workflows, ct))
            .WithName("WooCommerceOrders")
            .RateLimitedAs(InboundRateLimits.Webhooks)
            .WithSummary("WooCommerce order.created webhook: answer the webhook's ping, verify X-WC-Webhook-Signature, dedupe, start the order workflow; a signed order that cannot be mapped is kept, opens an IntakeRejected case and answers 200 rejected-needs-review.")
            .Produces<IntakeResponse>(StatusCodes.Status202Accepted)
            .Produces<IntakeResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet(ApiRoutes.Order, (string orderId, HttpRequest request, OrderQueryHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.GetAsync(orderId, request, workflows, ct))
            .WithName("GetOrder")
            .RequiresOperatorKey()
            .WithSummary("Order status, lines, fulfillments with tracking, timeline with case errors, and the workflow's runtime status (X-Operator-Key). Customers use GetOrderStatusPage.")
            .Produces<OrderView>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(ApiRoutes.OrderStatusPage, (string orderId, HttpRequest request, OrderStatusPageHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.GetAsync(orderId, request, workflows, ct))
            .WithName("GetOrderStatusPage")
            .WithSummary("The customer's order status page (HTML) behind the signed link in customer emails (?expires=unix seconds&sig=HMAC-SHA256): status, items, parcels with tracking; no customer data. 400 incomplete, 403 altered, 410 expired link.")
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .Produces<string>(StatusCodes.Status400BadRequest, "text/html")
            .Produces<string>(StatusCodes.Status403Forbidden, "text/html")
            .Produces<string>(StatusCodes.Status404NotFound, "text/html")
            .Produces<string>(StatusCodes.Status410Gone, "text/html");

        api.MapPost(ApiRoutes.OrderCancel, (string orderId, HttpRequest request, CancelOrderHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.PostAsync(orderId, request, workflows, ct))
            .WithName("CancelOrder")
            .RequiresOperatorKey()
            .WithSummary("Cancel an order or some of its lines (restock, refund, notify as separate choices) while its workflow runs; optional Idempotency-Key (X-Operator-Key).")
            .Accepts<CancelOrderBody>("application/json")
            .Produces<CancelOrderResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

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

        api.MapPost(ApiRoutes.InventoryMovements, (string sku, HttpRequest request, StockMovementHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.PostAsync(sku, request, workflows, ct))
            .WithName("PostInventoryMovement")
            .RequiresOperatorKey()
            .WithSummary("A stock receipt, count correction or write-off as a delta at one location, applied once per Idempotency-Key; received units fill backorders oldest first (X-Operator-Key).")
            .Accepts<StockMovement>("application/json")
            .Produces<StockView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet(ApiRoutes.Inventory, (string sku, HttpRequest request, InventoryHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.GetAsync(sku, request, workflows, ct))
            .WithName("GetInventory")
            .RequiresOperatorKey()
            .WithSummary("Stock of a SKU per location, with the orders holding reservations (X-Operator-Key).")
            .Produces<StockView>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(ApiRoutes.InventoryExplain, (string sku, HttpRequest request, StockInsightHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.ExplainAsync(sku, request, workflows, ct))
            .WithName("ExplainInventory")
            .RequiresOperatorKey()
            .WithSummary("Why a SKU can or cannot be sold: counters per location, reservation holders, waiting backorders, policy, recent ledger movements (X-Operator-Key).")
            .Produces<StockExplanation>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost(ApiRoutes.InventoryAudit, (string sku, HttpRequest request, StockInsightHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.AuditAsync(sku, request, workflows, ct))
            .WithName("AuditInventory")
            .RequiresOperatorKey()
            .WithSummary("Compares a SKU's counters with the sums of its movement ledger per location; ?repair=true resets drifted counters to the ledger (X-Operator-Key).")
            .Produces<StockAudit>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(ApiRoutes.InventoryAlerts, (HttpRequest request, StockInsightHandler handler, CancellationToken ct) =>
                handler.AlertsAsync(request, ct))
            .WithName("ListInventoryAlerts")
            .RequiresOperatorKey()
            .WithSummary("Recent low-stock alerts, newest first, with when purchasing was emailed and the purchase-order suggestion; ?open=true lists the suggestions no receipt has closed, one per SKU, oldest first (X-Operator-Key).")
            .Produces<IReadOnlyList<OrderFlow.Workflows.Contracts.StockAlertRecord>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet(StockInsightHandler.ReorderConsoleRoute, (HttpRequest request, StockInsightHandler handler, CancellationToken ct) =>
                handler.ReorderPageAsync(request, ct))
            .WithName("GetConsoleReorder")
            .WithSummary("Open purchase-order suggestions in the operations console.")
            .ExcludeFromDescription();

        api.MapPost(ApiRoutes.FulfillmentEvents, (string fulfillmentId, HttpRequest request, FulfillmentEventsHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.PostAsync(fulfillmentId, request, workflows, ct))
            .WithName("PostFulfillmentEvent")
            .RateLimitedAs(InboundRateLimits.Webhooks)
            .WithSummary("Signed callback from a location (X-OrderFlow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"{t}.POST.{path}.{body}\">): a fulfillment was picked, shipped, rejected, short (with shortLines) or cancelled (stopped when told to); deduped on eventId.")
            .Produces<FulfillmentEventResponse>(StatusCodes.Status202Accepted)
            .Produces<FulfillmentEventResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost(ApiRoutes.CarrierWebhook, (HttpRequest request, CarrierWebhookHandler handler, CancellationToken ct) =>
                handler.PostAsync(request, ct))
            .WithName("CarrierWebhook")
            .RateLimitedAs(InboundRateLimits.Webhooks)
            .WithSummary("EasyPost tracker webhook: verify X-Hmac-Signature, dedupe on the event id, move the fulfillment's tracking status forward and tell the customer.")
            .Produces<CarrierEventResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet(NotificationPreviewHandler.Route, (string template, string? format, NotificationPreviewHandler handler) =>
                handler.Get(template, format))
            .WithName("PreviewNotification")
            .WithSummary("A customer email template rendered with a sample order (format=html|text); 404 lists the known templates.")
            .Produces<string>(StatusCodes.Status200OK, "text/html", "text/plain")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost(ApiRoutes.OrderReturns, (string orderId, HttpRequest request, ReturnsHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.RequestAsync(orderId, request, workflows, ct))
            .WithName("RequestReturn")
            .RequiresOperatorKey()
            .WithSummary("Requests a return of shipped items; the return policy answers at once (422 with its reasons), else the return workflow starts (X-Operator-Key).")
            .Accepts<ReturnRequestBody>("application/json")
            .Produces<ReturnAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPost(ApiRoutes.ReturnReceived, (string returnId, HttpRequest request, ReturnsHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.ReceivedAsync(returnId, request, workflows, ct))
            .WithName("PostReturnReceived")
            .RateLimitedAs(InboundRateLimits.Webhooks)
            .WithSummary("Signed callback from the receiving location (X-OrderFlow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"{t}.POST.{path}.{body}\">): a return arrived, with each unit's condition.")
            .Accepts<ReturnReceivedBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet(ApiRoutes.Return, (string returnId, HttpRequest request, ReturnsHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.GetAsync(returnId, request, workflows, ct))
            .WithName("GetReturn")
            .RequiresOperatorKey()
            .WithSummary("A return: requested lines, status, receipt per unit and refund breakdown (X-Operator-Key).")
            .Produces<OrderFlow.Workflows.Contracts.ReturnRecord>()
            .Produces<ReturnAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapCaseEndpoints();
        api.MapReconciliationEndpoints();
        api.MapPickPackEndpoints();
        api.MapCatalogEndpoints();
        return app;
    }
}
