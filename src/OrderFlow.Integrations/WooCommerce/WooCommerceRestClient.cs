using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Shopify;

namespace OrderFlow.Integrations.WooCommerce;

/// <summary>
/// One WooCommerce REST API v3 call (under {StoreUrl}/wp-json/wc/v3/, HTTP Basic auth with the consumer key and secret)
/// through the WooCommerce HttpClient, whose pipeline retries 429 and transient faults (<see cref="WooCommerceRetryPolicy"/>).
/// Returns the parsed answer; a non-2xx after retries throws <see cref="WooCommerceApiException"/> (an
/// <see cref="HttpRequestException"/>) with the status code and WooCommerce's error code and message. The key and secret are never logged.
/// </summary>
public sealed class WooCommerceRestClient(IHttpClientFactory httpClients, IOptions<ChannelsOptions> options)
{
    public const string HttpClientName = "OrderFlow.WooCommerce";
    public const string ApiRoot = "wp-json/wc/v3/";

    /// <param name="path">Path under <see cref="ApiRoot"/>, with its query.</param>
    /// <param name="onlyRetryRefused">True for a write a repeat would apply twice (an order note): retried only when refused unprocessed (429).</param>
    public async Task<JsonDocument> SendAsync(
        HttpMethod method, string path, HttpContent? content, string operation, CancellationToken cancellationToken, bool onlyRetryRefused = false)
    {
        var store = options.Value.WooCommerce;
        using var request = new HttpRequestMessage(method, ApiRoot + path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{store.ConsumerKey.Trim()}:{store.ConsumerSecret.Trim()}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Options.Set(ShopifyRetryPolicy.OnlyRetryRefused, onlyRetryRefused);

        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // WooCommerce errors are {"code","message","data":{"status"}}; the code names the cause (e.g. woocommerce_rest_cannot_edit).
            var (code, message) = TryError(body);
            throw new WooCommerceApiException(
                $"WooCommerce {operation} answered HTTP {(int)response.StatusCode}{(code is null ? string.Empty : " " + code)} after retries.", response.StatusCode, code, message);
        }

        return JsonDocument.Parse(body);
    }

    /// <summary>The string property <paramref name="name"/> of <paramref name="element"/>, or null.</summary>
    internal static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static (string? Code, string? Message) TryError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (Text(document.RootElement, "code"), Text(document.RootElement, "message"))
                : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
