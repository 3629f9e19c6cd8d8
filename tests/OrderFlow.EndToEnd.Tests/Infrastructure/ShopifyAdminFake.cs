using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The Shopify GraphQL Admin API (2026-04) as far as OrderFlow's write-back and payment settlement use it, played by a
/// WireMock server whose answers follow Shopify's documented JSON and keep per-order state: the order's fulfillment
/// order with remaining quantities, the fulfillments created (with tracking), cancelledAt, tags and the note, and the SALE
/// transaction and refunds of a paid order. A lost answer can be arranged: the mutation is applied and answered 502.
/// Every request stays in WireMock's log, which the tests assert on.
/// </summary>
public sealed class ShopifyAdminFake : IDisposable
{
    public const string ApiVersion = "2026-04";
    public const string GraphQlPath = "/admin/api/" + ApiVersion + "/graphql.json";

    private readonly object gate = new();
    private readonly Dictionary<string, FakeOrder> orders = new(StringComparer.Ordinal);
    private readonly HashSet<string> loseNextAnswer = new(StringComparer.Ordinal);
    private int nextId = 1000;

    public ShopifyAdminFake(string accessToken)
    {
        Server = WireMockServer.Start();
        Server.Given(Request.Create().WithPath(GraphQlPath).UsingPost().WithHeader("X-Shopify-Access-Token", accessToken))
            .RespondWith(Response.Create().WithCallback(Answer));
    }

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    /// <summary>Shopify's copy of a paid order: one open fulfillment order with these SKUs, a successful SALE of <paramref name="totalMinor"/>.</summary>
    public void AddPaidOrder(long shopifyId, long totalMinor, string currency, params (string Sku, int Quantity)[] lines)
    {
        lock (gate)
        {
            var gid = OrderGid(shopifyId);
            orders[gid] = new FakeOrder(
                gid,
                $"gid://shopify/FulfillmentOrder/{shopifyId}1",
                lines.Select((l, i) => new FakeLine($"gid://shopify/FulfillmentOrderLineItem/{shopifyId}{i + 1}", l.Sku, l.Quantity)).ToList(),
                new FakeTransaction($"gid://shopify/OrderTransaction/{shopifyId}1", "SALE", totalMinor, currency, null));
        }
    }

    /// <summary>The next <paramref name="mutation"/> (e.g. "fulfillmentCreate") on this order is applied, but answered 502 Bad Gateway.</summary>
    public void LoseNextAnswer(long shopifyId, string mutation)
    {
        lock (gate)
        {
            loseNextAnswer.Add($"{OrderGid(shopifyId)}|{mutation}");
        }
    }

    /// <summary>Calls of <paramref name="operation"/> (a field such as "fulfillmentCreate" or "orderCancel") for this order, oldest first.</summary>
    public IReadOnlyList<ILogEntry> Requests(string operation, long shopifyId) =>
        Server.LogEntries
            .Where(e => e.RequestMessage.Path == GraphQlPath && e.RequestMessage.Body is { } body && Operation(body) == operation && OrderOf(body) == OrderGid(shopifyId))
            .OrderBy(e => e.RequestMessage.DateTime)
            .ToList();

    /// <summary>The GraphQL variables a request carried.</summary>
    public static JsonElement Variables(ILogEntry entry)
    {
        using var body = JsonDocument.Parse(entry.RequestMessage.Body!);
        return body.RootElement.GetProperty("variables").Clone();
    }

    public static int StatusOf(ILogEntry entry) => Convert.ToInt32(entry.ResponseMessage.StatusCode, CultureInfo.InvariantCulture);

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }

    private static string OrderGid(long shopifyId) => $"gid://shopify/Order/{shopifyId}";

    private ResponseMessage Answer(IRequestMessage request)
    {
        var body = request.Body ?? "{}";
        using var document = JsonDocument.Parse(body);
        var variables = document.RootElement.TryGetProperty("variables", out var v) ? v : default;
        lock (gate)
        {
            var operation = Operation(body);
            var gid = OrderOf(body);
            var order = gid is not null && orders.TryGetValue(gid, out var known) ? known : null;
            var (data, mutated) = operation switch
            {
                "productVariants" => ("""{"productVariants":{"nodes":[]}}""", false),
                "fulfillmentOrders" => (Json(new JsonObject { ["order"] = order?.FulfillmentView() }), false),
                "order" => (Json(new JsonObject { ["order"] = order?.OrderView() }), false),
                "transactions" => (Json(new JsonObject { ["order"] = order?.PaymentView() }), false),
                "fulfillmentCreate" => (Json(new JsonObject { ["fulfillmentCreate"] = Fulfil(order!, variables.GetProperty("fulfillment")) }), true),
                "orderCancel" => (Json(new JsonObject { ["orderCancel"] = Cancel(order!) }), true),
                "orderUpdate" => (Json(new JsonObject { ["orderUpdate"] = Update(order!, variables.GetProperty("input")) }), true),
                "refundCreate" => (Json(new JsonObject { ["refundCreate"] = Refund(order!, variables.GetProperty("input")) }), true),
                _ => (null, false),
            };
            if (data is null)
            {
                return Reply(200, $$$"""{"errors":[{"message":"Field '{{{operation}}}' is not played by the test's Shopify.","extensions":{"code":"undefinedField"}}]}""");
            }

            if (mutated && loseNextAnswer.Remove($"{gid}|{operation}"))
            {
                return Reply(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
            }

            return Reply(200, """{"data":""" + data + CostExtension);
        }
    }

    private JsonObject Fulfil(FakeOrder order, JsonElement input)
    {
        foreach (var group in input.GetProperty("lineItemsByFulfillmentOrder").EnumerateArray())
        {
            foreach (var item in group.GetProperty("fulfillmentOrderLineItems").EnumerateArray())
            {
                var line = order.Lines.Single(l => l.Id == item.GetProperty("id").GetString());
                line.Remaining -= item.GetProperty("quantity").GetInt32();
            }
        }

        var id = $"gid://shopify/Fulfillment/{++nextId}";
        order.Fulfillments.Add((id, input.GetProperty("trackingInfo").GetProperty("number").GetString() ?? string.Empty));
        return new JsonObject { ["fulfillment"] = new JsonObject { ["id"] = id, ["status"] = "SUCCESS" }, ["userErrors"] = new JsonArray() };
    }

    private JsonObject Cancel(FakeOrder order)
    {
        order.CancelledAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return new JsonObject { ["job"] = new JsonObject { ["id"] = $"gid://shopify/Job/{++nextId}", ["done"] = false }, ["orderCancelUserErrors"] = new JsonArray() };
    }

    private static JsonObject Update(FakeOrder order, JsonElement input)
    {
        if (input.TryGetProperty("note", out var note))
        {
            order.Note = note.GetString();
        }

        return new JsonObject { ["order"] = new JsonObject { ["id"] = order.Gid }, ["userErrors"] = new JsonArray() };
    }

    private JsonObject Refund(FakeOrder order, JsonElement input)
    {
        var id = $"gid://shopify/Refund/{++nextId}";
        order.Refunds.Add((id, input.GetProperty("note").GetString()));
        foreach (var part in input.GetProperty("transactions").EnumerateArray())
        {
            var amount = decimal.Parse(part.GetProperty("amount").GetString()!, CultureInfo.InvariantCulture);
            order.Transactions.Add(new FakeTransaction($"gid://shopify/OrderTransaction/{++nextId}", "REFUND", (long)(amount * 100), order.Transactions[0].Currency, part.GetProperty("parentId").GetString()));
        }

        return new JsonObject { ["refund"] = new JsonObject { ["id"] = id }, ["userErrors"] = new JsonArray() };
    }

    /// <summary>The field the request asks for first: the query's or mutation's top field name.</summary>
    private static string? Operation(string body)
    {
        using var document = JsonDocument.Parse(body);
        var query = document.RootElement.TryGetProperty("query", out var q) ? q.GetString() ?? string.Empty : string.Empty;
        foreach (var field in new[] { "fulfillmentCreate", "orderCancel", "orderUpdate", "refundCreate", "productVariants", "fulfillmentOrders", "transactions" })
        {
            if (query.Contains(field, StringComparison.Ordinal))
            {
                return field;
            }
        }

        return query.Contains("order(", StringComparison.Ordinal) ? "order" : null;
    }

    /// <summary>The order GID a request is about (the variables' id / orderId / fulfillment order id / input.orderId).</summary>
    private string? OrderOf(string body)
    {
        using var document = JsonDocument.Parse(body);
        if (!document.RootElement.TryGetProperty("variables", out var variables) || variables.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in new[] { "id", "orderId" })
        {
            if (variables.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.StartsWith("gid://shopify/Order/", StringComparison.Ordinal))
            {
                return value.GetString();
            }
        }

        if (variables.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object
            && (input.TryGetProperty("orderId", out var inputOrder) || input.TryGetProperty("id", out inputOrder)))
        {
            return inputOrder.GetString();
        }

        if (variables.TryGetProperty("fulfillment", out var fulfillment))
        {
            var fulfillmentOrder = fulfillment.GetProperty("lineItemsByFulfillmentOrder")[0].GetProperty("fulfillmentOrderId").GetString();
            lock (gate)
            {
                return orders.Values.FirstOrDefault(o => o.FulfillmentOrderId == fulfillmentOrder)?.Gid;
            }
        }

        return null;
    }

    /// <summary>The query cost Shopify appends to every answer (the rest of the answer after "data").</summary>
    private const string CostExtension = ""","extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":10,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1990,"restoreRate":100.0}}}}""";

    private static string Json(JsonObject value) => value.ToJsonString();

    private static ResponseMessage Reply(int status, string body, string contentType = "application/json; charset=utf-8") => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new(contentType) },
        BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
    };

    private sealed class FakeLine(string id, string sku, int quantity)
    {
        public string Id { get; } = id;

        public string Sku { get; } = sku;

        public int Remaining { get; set; } = quantity;
    }

    private sealed record FakeTransaction(string Id, string Kind, long Minor, string Currency, string? ParentId);

    private sealed class FakeOrder(string gid, string fulfillmentOrderId, List<FakeLine> lines, FakeTransaction sale)
    {
        public string Gid { get; } = gid;

        public string FulfillmentOrderId { get; } = fulfillmentOrderId;

        public List<FakeLine> Lines { get; } = lines;

        public List<(string Id, string Tracking)> Fulfillments { get; } = [];

        public List<(string Id, string? Note)> Refunds { get; } = [];

        public List<FakeTransaction> Transactions { get; } = [sale];

        public string? CancelledAt { get; set; }

        public string? Note { get; set; }

        public JsonObject FulfillmentView() => new()
        {
            ["id"] = Gid,
            ["fulfillments"] = new JsonArray(Fulfillments.Select(f => (JsonNode)new JsonObject
            {
                ["id"] = f.Id,
                ["trackingInfo"] = new JsonArray(new JsonObject { ["number"] = f.Tracking }),
            }).ToArray()),
            ["fulfillmentOrders"] = new JsonObject
            {
                ["nodes"] = new JsonArray(new JsonObject
                {
                    ["id"] = FulfillmentOrderId,
                    ["status"] = Lines.All(l => l.Remaining == 0) ? "CLOSED" : Fulfillments.Count > 0 ? "IN_PROGRESS" : "OPEN",
                    ["lineItems"] = new JsonObject
                    {
                        ["nodes"] = new JsonArray(Lines.Select(l => (JsonNode)new JsonObject
                        {
                            ["id"] = l.Id,
                            ["remainingQuantity"] = l.Remaining,
                            ["lineItem"] = new JsonObject { ["sku"] = l.Sku },
                        }).ToArray()),
                    },
                }),
            },
        };

        public JsonObject OrderView() => new() { ["id"] = Gid, ["cancelledAt"] = CancelledAt, ["tags"] = new JsonArray(), ["note"] = Note };

        public JsonObject PaymentView() => new()
        {
            ["id"] = Gid,
            ["transactions"] = new JsonArray(Transactions.Select(t => (JsonNode)new JsonObject
            {
                ["id"] = t.Id,
                ["kind"] = t.Kind,
                ["status"] = "SUCCESS",
                ["gateway"] = "shopify_payments",
                ["multiCapturable"] = false,
                ["parentTransaction"] = t.ParentId is null ? null : new JsonObject { ["id"] = t.ParentId },
                ["amountSet"] = new JsonObject
                {
                    ["presentmentMoney"] = new JsonObject
                    {
                        ["amount"] = (t.Minor / 100m).ToString("0.00", CultureInfo.InvariantCulture),
                        ["currencyCode"] = t.Currency,
                    },
                },
            }).ToArray()),
            ["refunds"] = new JsonArray(Refunds.Select(r => (JsonNode)new JsonObject { ["id"] = r.Id, ["note"] = r.Note }).ToArray()),
        };
    }
}
