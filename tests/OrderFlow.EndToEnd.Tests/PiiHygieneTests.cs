using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using OrderFlow.EndToEnd.Tests.Infrastructure;
using OrderFlow.Integrations.Storage;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>
/// Customer data stays where it must be. An order carries canary values (a name, a street, a phone number and an
/// email nobody else uses) through the real host on the persistent engine to Fulfilled. The canaries must be in the
/// order store and the customer's emails, and nowhere in the host's log output or the engine's stored workflow state
/// (the task hub's History and Instances tables).
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class PiiHygieneTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public Task CanaryCustomer_OrderFulfilled_CustomerDataOnlyInTheOrderStoreAndEmails() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        var token = Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (firstName, lastName, street, phone) = ($"Zephyrine{token}", $"Quillfeather{token}", $"{token} Canarywood Lane", $"+1 212-555-{token[..4]}");
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 5 });
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 5 });
        var order = TestOrder.Create(root =>
        {
            TestOrder.WithSkus(mug, tee)(root);
            Replace(root, new Dictionary<string, string> { ["Jane"] = firstName, ["Doe"] = lastName, ["350 Fifth Avenue"] = street, ["+1 212-555-0147"] = phone });
        });
        var canaries = new[] { firstName, lastName, street, phone, order.Email };
        var mark = host.Log.Mark;

        using (var intake = await api.PostShopifyOrderAsync(order, $"pii-{order.ShopifyId}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, intake.StatusCode);
        }

        await host.Warehouse.ShipAsync(api, order.OrderId, Stock.East);
        Assert.Equal("Fulfilled", (await api.WaitForCompletionAsync(order.OrderId, "Fulfilled")).Status);

        // Where it must be: the order store and the customer's emails (so the canaries really went in).
        var stored = await RowsContainingAsync(host.Table(TableNames.Orders), canaries);
        Assert.Contains(stored, hit => hit.Canary == street);
        var emails = host.Smtp.ForOrder(order.OrderId);
        Assert.NotEmpty(emails);
        Assert.All(emails, m => Assert.Equal(order.Email, Assert.Single(m.To.Mailboxes).Address));
        Assert.Contains(emails, m => (m.TextBody ?? string.Empty).Contains(firstName, StringComparison.Ordinal));

        // Where it must not be: the host's log output and the engine's stored workflow state.
        var log = host.Log.Since(mark, maxLines: 100_000);
        Assert.Contains(order.OrderId, log, StringComparison.Ordinal);
        Assert.All(canaries, canary => Assert.DoesNotContain(canary, log, StringComparison.OrdinalIgnoreCase));
        foreach (var table in new[] { "History", "Instances" })
        {
            var leaked = await RowsContainingAsync(host.TableService.GetTableClient(host.TaskHubName + table), canaries);
            Assert.True(leaked.Count == 0, $"customer data in the task hub's {table} table: {string.Join("; ", leaked.Select(l => $"{l.Canary} in {l.Where}").Take(5))}");
        }
    });

    /// <summary>Every string value in the order JSON equal to a key is replaced with its value.</summary>
    private static void Replace(JsonNode? node, IReadOnlyDictionary<string, string> replacements)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    if (child is JsonValue v && v.TryGetValue<string>(out var text) && replacements.TryGetValue(text, out var replacement))
                    {
                        o[name] = replacement;
                    }
                    else
                    {
                        Replace(child, replacements);
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Replace(child, replacements);
                }

                break;
        }
    }

    private static async Task<List<(string Canary, string Where)>> RowsContainingAsync(TableClient table, IReadOnlyList<string> canaries)
    {
        var hits = new List<(string, string)>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            foreach (var (name, value) in row)
            {
                if (value is string text)
                {
                    hits.AddRange(canaries.Where(c => text.Contains(c, StringComparison.OrdinalIgnoreCase)).Select(c => (c, $"{row.PartitionKey}/{row.RowKey}.{name}")));
                }
            }
        }

        return hits;
    }
}
