using Microsoft.AspNetCore.Http;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// A Shopify delivery after the checks every topic shares: either <see cref="Rejection"/> (already recorded, to be
/// returned as is) or a verified body with its webhook id and topic.
/// </summary>
public sealed record ShopifyReceipt(IResult? Rejection, string Raw, string WebhookId, string Topic, DateTimeOffset ReceivedAt);
