using System.Text.Json.Nodes;
using OrderFlow.Api.Webhooks;
using OrderFlow.Integrations.Tests.Infrastructure;

namespace OrderFlow.Api.Tests.Webhooks;

/// <summary>Reading Shopify's orders/cancelled body: order id as intake maps it, restock semantics, money handled by Shopify.</summary>
public sealed class ShopifyCancellationMapperTests
{
    [Fact]
    public void Map_Sample_OrderIdReasonStatusAndRestockFromTheRefundLines()
    {
        var (cancellation, error) = ShopifyCancellationMapper.Map(TestFixtures.ShopifyOrderCancelledJson());

        Assert.Null(error);
        Assert.Equal("shopify-5678901234567", cancellation!.OrderId);
        Assert.Equal("customer", cancellation.CancelReason);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 21, 5, 12, TimeSpan.Zero), cancellation.CancelledAt);
        Assert.True(cancellation.Restock);
        Assert.True(cancellation.MoneyHandledByShopify);
    }

    [Theory]
    [InlineData("""{"restock":false}""", false)]
    [InlineData("""{"restock":true,"refunds":[{"refund_line_items":[{"restock_type":"no_restock"}]}]}""", true)]
    [InlineData("""{"refunds":[{"restock":false,"refund_line_items":[]}]}""", false)]
    [InlineData("""{"refunds":[{"refund_line_items":[{"restock_type":"no_restock"},{"restock_type":"cancel"}]}]}""", true)]
    [InlineData("""{"refunds":[]}""", true)]
    [InlineData("""{}""", true)]
    public void Map_Restock_TopLevelFlagThenRefundLinesThenLegacyFlagElseTrue(string extra, bool restock)
    {
        var json = JsonNode.Parse(extra)!.AsObject();
        json["id"] = 42;

        var (cancellation, _) = ShopifyCancellationMapper.Map(json.ToJsonString());

        Assert.Equal(restock, cancellation!.Restock);
    }

    [Theory]
    [InlineData("paid", false)]
    [InlineData("pending", false)]
    [InlineData("refunded", true)]
    [InlineData("partially_refunded", true)]
    [InlineData("voided", true)]
    public void Map_FinancialStatus_MoneyHandledByShopifyOnlyWhenRefundedOrVoided(string status, bool handled)
    {
        var (cancellation, _) = ShopifyCancellationMapper.Map($$"""{"id":"42","financial_status":"{{status}}"}""");

        Assert.Equal("shopify-42", cancellation!.OrderId);
        Assert.Equal(handled, cancellation.MoneyHandledByShopify);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    [InlineData("""{"cancel_reason":"fraud"}""", "id is required")]
    [InlineData("""{"id":1,"cancelled_at":"yesterday"}""", "cancelled_at")]
    public void Map_Unreadable_NamesTheProblem(string body, string expected)
    {
        var (cancellation, error) = ShopifyCancellationMapper.Map(body);

        Assert.Null(cancellation);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
