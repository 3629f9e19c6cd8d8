using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrderFlow.EndToEnd.Tests.Contracts;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>The host's public HTTP contract, called the way Shopify, warehouses and operators call it.</summary>
public sealed class OrderFlowApi(HttpClient http, string shopifySecret, string fulfillmentSecret, string operatorKey)
{
    public const string OperatorKeyHeader = "X-Operator-Key";

    public const string ShopifyHmacHeader = "X-Shopify-Hmac-Sha256";
    public const string ShopifyWebhookIdHeader = "X-Shopify-Webhook-Id";
    public const string ShopifyTopicHeader = "X-Shopify-Topic";
    public const string FulfillmentSignatureHeader = "X-OrderFlow-Signature";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public HttpClient Http => http;

    /// <summary>Posts a signed orders/create webhook; <paramref name="signature"/> overrides the correct one.</summary>
    public Task<HttpResponseMessage> PostShopifyOrderAsync(TestOrder order, string webhookId, string? signature = null) =>
        PostShopifyAsync(order.Body, webhookId, signature ?? Signatures.Sign(order.Body, shopifySecret));

    public Task<HttpResponseMessage> PostSignedShopifyBodyAsync(byte[] body, string webhookId) =>
        PostShopifyAsync(body, webhookId, Signatures.Sign(body, shopifySecret));

    public async Task<OrderResponse?> GetOrderAsync(string orderId)
    {
        using var response = await SendAsOperatorAsync(HttpMethod.Get, $"/api/orders/{Uri.EscapeDataString(orderId)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response);
        return await response.Content.ReadFromJsonAsync<OrderResponse>(Json);
    }

    /// <summary>Polls GET /api/orders/{orderId} until <paramref name="condition"/> holds.</summary>
    public async Task<OrderResponse> WaitForOrderAsync(string orderId, Func<OrderResponse, bool> condition, string what, TimeSpan? timeout = null) =>
        (await Poll.UntilAsync(() => GetOrderAsync(orderId), o => o is not null && condition(o), $"order {orderId}: {what}", timeout))!;

    /// <summary>Waits until the order reached <paramref name="status"/> and its workflow ended.</summary>
    public Task<OrderResponse> WaitForCompletionAsync(string orderId, string status, TimeSpan? timeout = null) =>
        WaitForOrderAsync(orderId, o => o.Status == status && o.Workflow?.RuntimeStatus == "Completed", $"status {status} and workflow Completed", timeout);

    public async Task<StockResponse> PutStockAsync(string sku, string title, IReadOnlyDictionary<string, int> locations)
    {
        using var response = await SendAsOperatorAsync(HttpMethod.Put, $"/api/inventory/{Uri.EscapeDataString(sku)}", System.Net.Http.Json.JsonContent.Create(new { title, locations }, options: Json));
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<StockResponse>(Json))!;
    }

    public async Task<StockResponse> GetStockAsync(string sku)
    {
        using var response = await SendAsOperatorAsync(HttpMethod.Get, $"/api/inventory/{Uri.EscapeDataString(sku)}");
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<StockResponse>(Json))!;
    }

    /// <summary>
    /// An operator call: sends X-Operator-Key (the fixture's key unless <paramref name="key"/> is given; an empty
    /// <paramref name="key"/> sends no header at all).
    /// </summary>
    public Task<HttpResponseMessage> SendAsOperatorAsync(HttpMethod method, string path, HttpContent? content = null, string? key = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        key ??= operatorKey;
        if (key.Length > 0)
        {
            request.Headers.Add(OperatorKeyHeader, key);
        }

        return http.SendAsync(request);
    }

    /// <summary>A location's callback for a fulfillment; <paramref name="signature"/> overrides the correct one.</summary>
    public Task<HttpResponseMessage> PostFulfillmentEventAsync(string fulfillmentId, string status, string? reason = null, string? signature = null)
    {
        var (path, body) = FulfillmentEvent(fulfillmentId, status, reason);
        return PostCallbackAsync(path, body, signature ?? Signatures.SignCallback(path, body, fulfillmentSecret));
    }

    /// <summary>The path and body of a location's callback for a fulfillment (to sign and post with <see cref="PostCallbackAsync"/>).</summary>
    public static (string Path, byte[] Body) FulfillmentEvent(string fulfillmentId, string status, string? reason = null) =>
        ($"/api/fulfillments/{Uri.EscapeDataString(fulfillmentId)}/events",
            JsonSerializer.SerializeToUtf8Bytes(new { fulfillmentId, status, occurredAt = DateTimeOffset.UtcNow, reason }, Json));

    /// <summary>The receiving location's callback for a return; <paramref name="signature"/> overrides the correct one.</summary>
    public Task<HttpResponseMessage> PostReturnReceivedAsync(string returnId, object receipt, string? signature = null)
    {
        var path = $"/api/returns/{Uri.EscapeDataString(returnId)}/received";
        var body = JsonSerializer.SerializeToUtf8Bytes(receipt, Json);
        return PostCallbackAsync(path, body, signature ?? Signatures.SignCallback(path, body, fulfillmentSecret));
    }

    /// <summary>A signed callback, as a location sends it: <paramref name="signature"/> in X-OrderFlow-Signature.</summary>
    public async Task<HttpResponseMessage> PostCallbackAsync(string path, byte[] body, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent(body) };
        request.Headers.Add(FulfillmentSignatureHeader, signature);
        return await http.SendAsync(request);
    }

    public static async Task<ProblemResponse> ReadProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<ProblemResponse>(Json))!;
    }

    public static async Task<IntakeResponse> ReadIntakeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<IntakeResponse>(Json))!;

    private async Task<HttpResponseMessage> PostShopifyAsync(byte[] body, string webhookId, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/shopify/orders-create") { Content = JsonContent(body) };
        request.Headers.Add(ShopifyHmacHeader, signature);
        request.Headers.Add(ShopifyWebhookIdHeader, webhookId);
        request.Headers.Add(ShopifyTopicHeader, "orders/create");
        return await http.SendAsync(request);
    }

    private static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = Encoding.UTF8.WebName };
        return content;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
    }
}
