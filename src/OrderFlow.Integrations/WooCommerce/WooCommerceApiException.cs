using System.Net;

namespace OrderFlow.Integrations.WooCommerce;

/// <summary>
/// A WooCommerce REST answer other than 2xx after retries, with WooCommerce's error body
/// ({"code","message","data":{"status"}}) when it sent one. Still an <see cref="HttpRequestException"/> with the status
/// code, so callers that sort refusals from outages by status keep working.
/// </summary>
public sealed class WooCommerceApiException(string message, HttpStatusCode status, string? code, string? errorMessage)
    : HttpRequestException(message, null, status)
{
    /// <summary>WooCommerce's error code, e.g. woocommerce_rest_cannot_create_order_refund; null when the body was not WooCommerce's error JSON.</summary>
    public string? Code { get; } = code;

    /// <summary>WooCommerce's human-readable message (from the store, so never customer data we put there).</summary>
    public string? ErrorMessage { get; } = errorMessage;
}
