using OrderFlow.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using OrderFlow.EndToEnd.Tests.Infrastructure;
using OrderFlow.Integrations.Storage;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>POST /api/webhooks/shopify/orders-create on the real host: refusals, redeliveries and orders it cannot fulfil.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class ShopifyIntakeTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    private const string RejectedPartition = "shopify-rejected";

    [Fact]
    public Task OrdersCreate_BadSignature_Returns401StartsNothingAndRecordsRejection() => host.RunAsync(output, async () =>
    {
        var order = TestOrder.Create();
        var webhookId = $"bad-signature-{order.ShopifyId}";

        using var response = await host.Api.PostShopifyOrderAsync(order, webhookId, signature: Signatures.Sign(order.Body, "not-the-shopify-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await OrderFlowApi.ReadProblemAsync(response);
        Assert.Contains(OrderFlowApi.ShopifyHmacHeader, problem.Detail, StringComparison.Ordinal);
        Assert.Null(await host.Api.GetOrderAsync(order.OrderId));
        Assert.Empty(await OrderRowsAsync(order.OrderId));

        var deliveries = host.Table(TableNames.Deliveries);
        Assert.False((await deliveries.GetEntityIfExistsAsync<TableEntity>("shopify", webhookId)).HasValue, "a refused delivery must not be recorded as accepted");
        var rejected = Assert.Single(await RejectedDeliveriesAsync(webhookId));
        Assert.Equal("rejected-signature", rejected.GetString("Outcome"));
        Assert.Equal("HMAC signature missing or invalid.", rejected.GetString("Reason"));
        // Anyone can send unsigned bodies: only the first 2 KiB is kept, with the whole body's SHA-256 and size.
        var kept = rejected.GetString("Payload")!;
        Assert.StartsWith(kept, order.Json, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(kept), Math.Min(order.Body.Length, 2048) - 3, 2048); // cut on a character boundary
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(order.Body)), rejected.GetString("PayloadSha256"));
        Assert.Equal(order.Body.Length, rejected.GetInt64("PayloadBytes"));
        Assert.Null(rejected.GetString("OrderId"));
    });

    [Fact]
    public Task OrdersCreate_IdsDifferingInACharThatUsedToMapToUnderscore_BothAcceptedAndAChangedBodyUnderAReusedWebhookIdIs409() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 5 });
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 5 });
        var stem = TestOrder.Create().ShopifyId;
        var slash = TestOrder.Create(root =>
        {
            TestOrder.WithSkus(mug, tee)(root);
            root["id"] = $"{stem}/b-1";
        });
        var hash = TestOrder.Create(root =>
        {
            TestOrder.WithSkus(mug, tee)(root);
            root["id"] = $"{stem}#b-1";
        });
        var webhookId = $"reused-{stem}";

        // Both used to become shopify-{stem}_b-1, and the second was answered "duplicate" and lost.
        using var first = await api.PostSignedShopifyBodyAsync(slash.Body, webhookId);
        using var second = await api.PostSignedShopifyBodyAsync(hash.Body, $"{webhookId}-2");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var firstId = (await OrderFlowApi.ReadIntakeAsync(first)).OrderId;
        var secondId = (await OrderFlowApi.ReadIntakeAsync(second)).OrderId;
        Assert.NotEqual(firstId, secondId);
        await api.WaitForOrderAsync(firstId, _ => true, "the first order is recorded");
        await api.WaitForOrderAsync(secondId, _ => true, "the second order is recorded");

        // Another order under the first one's webhook id: refused 409 and kept, never answered "duplicate".
        var other = TestOrder.Create(TestOrder.WithSkus(mug, tee));
        using var reused = await api.PostShopifyOrderAsync(other, webhookId);

        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        var problem = await OrderFlowApi.ReadProblemAsync(reused);
        Assert.StartsWith($"Delivery {webhookId} was already received with different content (order {firstId})", problem.Detail, StringComparison.Ordinal);
        Assert.Null(await api.GetOrderAsync(other.OrderId));
        var conflict = Assert.Single(await RejectedDeliveriesAsync(webhookId));
        Assert.Equal("rejected-conflict", conflict.GetString("Outcome"));
        Assert.Equal(other.Json, conflict.GetString("Payload"));
    });

    [Fact]
    public Task OrdersCreate_SameWebhookDeliveredTwice_SecondIsDuplicateAndOneWorkflowEmailsOnce() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 5 });
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 5 });
        var order = TestOrder.Create(TestOrder.WithSkus(mug, tee));
        var webhookId = $"redelivered-{order.ShopifyId}";

        using var first = await api.PostShopifyOrderAsync(order, webhookId);
        using var second = await api.PostShopifyOrderAsync(order, webhookId);

        // Shopify may also send the same order again under a new webhook id: still the one workflow.
        using var third = await api.PostShopifyOrderAsync(order, webhookId + "-again");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("accepted", (await OrderFlowApi.ReadIntakeAsync(first)).Status);
        foreach (var duplicate in new[] { second, third })
        {
            Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
            var intake = await OrderFlowApi.ReadIntakeAsync(duplicate);
            Assert.Equal("duplicate", intake.Status);
            Assert.Equal(order.OrderId, intake.OrderId);
            Assert.Equal($"/api/orders/{order.OrderId}", intake.StatusUrl);
        }

        var accepted = await host.Table(TableNames.Deliveries).GetEntityAsync<TableEntity>("shopify", webhookId);
        Assert.Equal("accepted", accepted.Value.GetString("Outcome"));
        Assert.Equal(order.OrderId, accepted.Value.GetString("OrderId"));

        await host.Warehouse.ShipAsync(api, order.OrderId, Stock.East);
        var done = await api.WaitForCompletionAsync(order.OrderId, "Fulfilled");

        Assert.Single(done.Timeline, t => t.Kind == "status" && t.Message.StartsWith("Received:", StringComparison.Ordinal));
        Assert.Single(done.Timeline, t => t.Kind == "email" && t.Message.Contains("OrderConfirmed", StringComparison.Ordinal));
        var emails = host.Smtp.ForOrder(order.OrderId);
        Assert.Equal(
            new[] { $"{order.OrderId}:OrderConfirmed", $"{order.OrderId}:Shipped:{order.FulfillmentId(1)}" },
            emails.Select(NotificationEmails.KeyOf));
        Assert.Equal(emails.Count, emails.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(3, (await api.GetStockAsync(mug)).OnHand);
    });

    [Fact]
    public Task OrdersCreate_MalformedJson_Returns200NeedsReviewWithACaseAndKeepsTheBody() => host.RunAsync(output, async () =>
    {
        var body = Encoding.UTF8.GetBytes("{\"id\": 4242, \"email\": \"jane.doe@example.com\", \"line_items\": [");
        var webhookId = $"malformed-{Guid.NewGuid():N}";

        using var response = await host.Api.PostSignedShopifyBodyAsync(body, webhookId);

        // Signed, so Shopify would resend the same body until it drops the subscription: 200, a case, the body kept.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(OrderFlowApi.Json);
        Assert.Equal("rejected-needs-review", answer.GetProperty("status").GetString());
        Assert.Equal($"intake-shopify-{webhookId}", answer.GetProperty("caseId").GetString());
        Assert.Null(await host.Api.GetOrderAsync("shopify-4242"));

        var rejected = Assert.Single(await RejectedDeliveriesAsync(webhookId));
        Assert.Equal("rejected-unmappable", rejected.GetString("Outcome"));
        Assert.Contains("not valid JSON", rejected.GetString("Reason"), StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetString(body), rejected.GetString("Payload"));
    });

    [Fact]
    public Task OrdersCreate_OrderWithoutEmailAndCurrency_Returns200NeedsReviewNamingEachFieldOnTheCase() => host.RunAsync(output, async () =>
    {
        var order = TestOrder.Create(root =>
        {
            root.Remove("email");
            root.Remove("contact_email");
            root["customer"]!.AsObject().Remove("email");
            root.Remove("currency");
        });

        using var response = await host.Api.PostShopifyOrderAsync(order, $"incomplete-{order.ShopifyId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(OrderFlowApi.Json);
        Assert.Equal("rejected-needs-review", answer.GetProperty("status").GetString());
        var reason = Assert.Single(await RejectedDeliveriesAsync($"incomplete-{order.ShopifyId}")).GetString("Reason");
        Assert.Contains("email is required", reason, StringComparison.Ordinal);
        Assert.Contains("currency is required", reason, StringComparison.Ordinal);
        Assert.Null(await host.Api.GetOrderAsync(order.OrderId));
    });

    [Fact]
    public Task OrdersCreate_UnknownSku_IsAcceptedThenHeldWithOrderInvalidCase() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        var (unknownSku, tee) = (Stock.NewSku("GHOST"), Stock.NewSku("TEE"));
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 5 });
        var order = TestOrder.Create(TestOrder.WithSkus(unknownSku, tee));
        var caseId = $"{order.OrderId}-validate-1";

        using var response = await api.PostShopifyOrderAsync(order, $"unknown-sku-{order.ShopifyId}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // The order row and the workflow's custom status are written one after the other: wait for both.
        var held = await api.WaitForOrderAsync(
            order.OrderId, o => o.Status == "OnHold" && o.Workflow?.Step == $"on-hold:{caseId}", $"status OnHold on case {caseId}");
        Assert.Equal("Running", held.Workflow!.RuntimeStatus);
        var caseEntry = Assert.Single(held.Timeline, t => t.Kind == "case");
        Assert.Contains(caseId, caseEntry.Message, StringComparison.Ordinal);
        Assert.Contains("OrderInvalid", caseEntry.Message, StringComparison.Ordinal);
        Assert.Contains($"SKU '{unknownSku}' is not in the catalog", caseEntry.Message, StringComparison.Ordinal);
        Assert.Empty(held.Fulfillments);

        var row = (await host.Table(TableNames.Cases).GetEntityAsync<TableEntity>("case", caseId)).Value;
        Assert.Equal(order.OrderId, row.GetString("OrderId"));
        Assert.Equal("OrderInvalid", row.GetString("Reason"));
        Assert.Equal("validate", row.GetString("Step"));
        Assert.Equal("Open", row.GetString("Status"));
        Assert.Contains(unknownSku, row.GetString("Error"), StringComparison.Ordinal);
        Assert.NotNull(row.GetDateTimeOffset("AlertedAt"));

        // The approver is told; the customer gets no confirmation for an order that is not valid.
        var alert = Assert.Single(host.Smtp.Messages, m => NotificationEmails.KeyOf(m) == $"case:{caseId}");
        Assert.Equal(OrderFlowHostFixture.ApproverEmail, Assert.Single(alert.To.Mailboxes).Address);
        Assert.Contains("OrderInvalid", alert.Subject, StringComparison.Ordinal);
        Assert.Contains(unknownSku, alert.TextBody, StringComparison.Ordinal);
        Assert.Empty(host.Smtp.ForOrder(order.OrderId));

        // Validation stopped the order before stock: the known SKU holds nothing, the unknown one has no stock at all.
        var tees = await api.GetStockAsync(tee);
        Assert.Equal((5, 0), (tees.OnHand, tees.Reserved));
        Assert.Empty(tees.Reservations);
        using var unknownStock = await api.SendAsOperatorAsync(HttpMethod.Get, $"/api/inventory/{unknownSku}");
        Assert.Equal(HttpStatusCode.NotFound, unknownStock.StatusCode);
    });

    private async Task<List<TableEntity>> OrderRowsAsync(string orderId)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in host.Table(TableNames.Orders).QueryAsync<TableEntity>(e => e.PartitionKey == orderId))
        {
            rows.Add(row);
        }

        return rows;
    }

    private async Task<List<TableEntity>> RejectedDeliveriesAsync(string webhookId)
    {
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {RejectedPartition} and DeliveryId eq {webhookId}");
        await foreach (var row in host.Table(TableNames.Deliveries).QueryAsync<TableEntity>(filter))
        {
            rows.Add(row);
        }

        return rows;
    }
}
