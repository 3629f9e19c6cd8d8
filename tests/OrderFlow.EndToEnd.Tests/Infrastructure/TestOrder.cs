using System.Text;
using System.Text.Json.Nodes;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A Shopify orders/create body made from Fixtures/shopify-order.json (2 x SKU-MUG, 1 x SKU-TEE, USD), with its own
/// Shopify order id and customer email so every test follows its own order, workflow and emails.
/// </summary>
public sealed class TestOrder
{
    private TestOrder(long shopifyId, string email, string json)
    {
        ShopifyId = shopifyId;
        Email = email;
        Json = json;
        Body = Encoding.UTF8.GetBytes(json);
    }

    public long ShopifyId { get; }

    /// <summary>The id OrderFlow derives: "shopify-{shopify order id}" (also the workflow instance id).</summary>
    public string OrderId => $"shopify-{ShopifyId}";

    public string Email { get; }

    /// <summary>The order name ("#1001" in the sample) customers see in email subjects.</summary>
    public string OrderNumber => "#1001";

    public string Json { get; }

    /// <summary>The exact bytes posted and signed.</summary>
    public byte[] Body { get; }

    public string FulfillmentId(int sequence) => $"{OrderId}-F{sequence}";

    /// <summary>The fixture file of samples/shopify-order.json: a Shopify Payments order as Shopify delivers it (no payment intent note).</summary>
    public const string RealisticSample = "shopify-sample-order.json";

    /// <summary>The sample order with a fresh id; <paramref name="edit"/> may change anything else.</summary>
    /// <param name="fixture">The order under Fixtures/ to start from (<see cref="RealisticSample"/> for the repository's sample).</param>
    public static TestOrder Create(Action<JsonObject>? edit = null, string fixture = "shopify-order.json")
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture)))!.AsObject();
        var id = Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999);
        var email = $"buyer-{id}@example.com";
        root["id"] = id;
        root["admin_graphql_api_id"] = $"gid://shopify/Order/{id}";
        root["email"] = email;
        root["contact_email"] = email;
        root["customer"]!["email"] = email;

        // One payment pays for one order: each test order gets an intent of its own (a shared one is refused).
        foreach (var attribute in root["note_attributes"]?.AsArray() ?? [])
        {
            if ((string?)attribute?["name"] == "payment_intent_id")
            {
                attribute!["value"] = $"pi_e2e_{id}";
            }
        }

        edit?.Invoke(root);
        return new TestOrder(id, email, root.ToJsonString());
    }

    /// <summary>Edit for <see cref="Create"/>: SKUs of this test's own, instead of the shared SKU-MUG and SKU-TEE.</summary>
    public static Action<JsonObject> WithSkus(string mugSku, string teeSku) => root =>
    {
        WithSku(0, mugSku)(root);
        WithSku(1, teeSku)(root);
    };

    private static Action<JsonObject> WithSku(int lineIndex, string sku) => root => root["line_items"]![lineIndex]!["sku"] = sku;
}
