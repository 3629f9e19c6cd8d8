namespace OrderFlow.Api;

/// <summary>Route templates shared by both hosts (relative to the "api" prefix).</summary>
public static class ApiRoutes
{
    public const string Prefix = "api";
    public const string ShopifyOrdersCreate = "webhooks/shopify/orders-create";
    public const string ShopifyOrdersCancelled = "webhooks/shopify/orders-cancelled";
    public const string ShopifyOrdersPaid = "webhooks/shopify/orders-paid";
    public const string Order = "orders/{orderId}";
    public const string OrderStatusPage = "orders/{orderId}/" + OrderFlow.Workflows.Notifications.OrderStatusLinkSigner.StatusSegment;
    public const string OrderCancel = "orders/{orderId}/cancel";
    public const string Inventory = "inventory/{sku}";
    public const string InventoryExplain = "inventory/{sku}/explain";
    public const string InventoryMovements = "inventory/{sku}/movements";
    public const string InventoryAudit = "inventory/{sku}/audit";
    public const string InventoryAlerts = "inventory-alerts";
    public const string FulfillmentEvents = "fulfillments/{fulfillmentId}/events";
    public const string CarrierWebhook = "webhooks/carrier";
    public const string OrderReturns = "orders/{orderId}/returns";
    public const string Return = "returns/{returnId}";
    public const string ReturnReceived = "returns/{returnId}/received";

    public static string OrderUrl(string orderId) => $"/{Prefix}/orders/{Uri.EscapeDataString(orderId)}";
}
