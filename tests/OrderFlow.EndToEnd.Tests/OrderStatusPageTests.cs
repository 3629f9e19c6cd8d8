using System.Net;
using System.Text.RegularExpressions;
using OrderFlow.EndToEnd.Tests.Infrastructure;
using OrderFlow.Testing;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>
/// Security issue 13, item 6, through the real host: the order JSON needs the operator key, and customers reach their
/// order through the signed status link in their email, which shows no customer data and refuses an altered link.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed partial class OrderStatusPageTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public Task StatusLink_FromConfirmationEmail_RendersPageWithoutCustomerDataAndOrderJsonNeedsTheKey() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        // Its own SKUs: the order stays open, and its reservation must not starve tests that count the sample SKUs.
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 5 });
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 5 });
        string[] canaries = ["Zebulon", "Quillfeather", "77 Canaryfeather Lane", "Apt Canary 9", "212-555-0199"];
        var order = TestOrder.Create(root =>
        {
            TestOrder.WithSkus(mug, tee)(root);
            foreach (var part in new[] { "shipping_address", "billing_address" })
            {
                var address = root[part]!.AsObject();
                address["first_name"] = canaries[0];
                address["last_name"] = canaries[1];
                address["name"] = $"{canaries[0]} {canaries[1]}";
                address["address1"] = canaries[2];
                address["address2"] = canaries[3];
                address["phone"] = "+1 " + canaries[4];
            }

            root["customer"]!["first_name"] = canaries[0];
            root["customer"]!["last_name"] = canaries[1];
        });

        using var accepted = await api.PostShopifyOrderAsync(order, $"webhook-{order.ShopifyId}");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        // The first customer email (the confirmation) links to the signed status page, never to the bare order route.
        var email = (await Poll.UntilAsync(
            () => Task.FromResult(host.Smtp.ForOrder(order.OrderId).FirstOrDefault()),
            m => m is not null,
            $"the first customer email of {order.OrderId}"))!;
        var match = StatusLinkPattern().Match(email.TextBody ?? string.Empty);
        Assert.True(match.Success, $"no signed status link in: {email.TextBody}");
        Assert.Equal(order.OrderId, Uri.UnescapeDataString(match.Groups["order"].Value));
        var path = $"/api/orders/{match.Groups["order"].Value}/status?expires={match.Groups["expires"].Value}&sig={match.Groups["sig"].Value}";

        // The order JSON (timeline, case errors) is the operators': no key, no data.
        using (var open = await api.SendAsOperatorAsync(HttpMethod.Get, $"/api/orders/{Uri.EscapeDataString(order.OrderId)}", key: string.Empty))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, open.StatusCode);
            Assert.DoesNotContain(canaries[1], await open.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var page = await api.Http.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"Order {WebUtility.HtmlEncode(order.OrderNumber)}", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        foreach (var canary in canaries.Append(order.Email))
        {
            Assert.DoesNotContain(canary, html, StringComparison.OrdinalIgnoreCase);
        }

        // One character of the signature changed, or another order's id under this signature: 403.
        var sig = match.Groups["sig"].Value;
        var tamperedSig = path.Replace($"sig={sig}", $"sig={(sig[0] == 'A' ? 'B' : 'A')}{sig[1..]}", StringComparison.Ordinal);
        var otherOrder = path.Replace(match.Groups["order"].Value, Uri.EscapeDataString($"shopify-{order.ShopifyId + 1}"), StringComparison.Ordinal);
        foreach (var tampered in new[] { tamperedSig, otherOrder })
        {
            using var refused = await api.Http.GetAsync(tampered);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("not valid", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    });

    [GeneratedRegex(@"http://shop\.orderflow-e2e\.test/api/orders/(?<order>[^/\s]+)/status\?expires=(?<expires>[0-9]+)&sig=(?<sig>[A-Za-z0-9_-]+)")]
    private static partial Regex StatusLinkPattern();
}
