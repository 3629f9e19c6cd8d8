using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Channels;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Integrations.Shopify;

/// <summary>
/// One GraphQL Admin API call (POST /admin/api/{version}/graphql.json with X-Shopify-Access-Token) through the Shopify
/// HttpClient, whose pipeline retries throttling and transient faults (<see cref="ShopifyRetryPolicy"/>). Returns the
/// answer's "data"; a non-2xx after retries or top-level GraphQL errors throw. The token is never logged.
/// </summary>
public sealed class ShopifyAdminClient(IHttpClientFactory httpClients, IOptions<ChannelsOptions> options)
{
    public const string HttpClientName = "OrderFlow.Shopify";

    /// <param name="onlyRetryRefused">True for a mutation Shopify takes no idempotency key for: retried only when refused unprocessed.</param>
    public async Task<JsonElement> PostAsync(
        string operation, string query, IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken, bool onlyRetryRefused = false)
    {
        var shopify = options.Value.Shopify;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"admin/api/{shopify.ApiVersion}/graphql.json")
        {
            Content = JsonContent.Create(new { query, variables }, options: IntegrationJson.Options),
        };
        request.Headers.Add("X-Shopify-Access-Token", shopify.AccessToken);
        request.Options.Set(ShopifyRetryPolicy.OnlyRetryRefused, onlyRetryRefused);

        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Shopify {operation} answered HTTP {(int)response.StatusCode} after retries.", null, response.StatusCode);
        }

        using var document = JsonDocument.Parse(body);
        return ShopifyGraphQl.Data(document.RootElement, operation).Clone();
    }
}
