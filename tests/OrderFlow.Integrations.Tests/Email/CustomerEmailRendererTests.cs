using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Notifications;
using static OrderFlow.Workflows.Contracts.CustomerNotification;

namespace OrderFlow.Integrations.Tests.Email;

public sealed class CustomerEmailRendererTests
{
    private const string Tracking1 = "SBX123456789012";
    private const string Tracking2 = "SBX999999999999";

    private static readonly Order Order = TestOrders.Create();

    /// <summary>The signed status link the notifier passes in (Store:OrderStatusBaseUrl + "/{orderId}/status?expires=..&amp;sig=..").</summary>
    private static readonly string StatusLink = TestStore.StatusLinks().LinkFor(Order.OrderId);
    private static readonly FulfillmentRecord Parcel1 = new($"{Order.OrderId}-F1", "WH-A", [new FulfillmentLine("SKU-MUG", 2)], "shipped", "SandboxPost", Tracking1, $"https://tracking.example/{Tracking1}", null);
    private static readonly FulfillmentRecord Parcel2 = new($"{Order.OrderId}-F2", "WH-B", [new FulfillmentLine("SKU-TEE", 1)], "awaiting-confirmation", "SandboxPost", Tracking2, $"https://tracking.example/{Tracking2}", null);

    public static TheoryData<Milestone> Milestones() => [.. Enum.GetValues<Milestone>()];

    [Theory]
    [MemberData(nameof(Milestones))]
    public void Render_EveryMilestone_HasFirstNameOrderNumberAndSupportPathInBothParts(Milestone milestone)
    {
        var content = Render(milestone);

        Assert.Contains("#1001", content.Subject, StringComparison.Ordinal);
        foreach (var body in new[] { content.TextBody, content.HtmlBody })
        {
            Assert.Contains("Hi Jane,", body, StringComparison.Ordinal);
            Assert.Contains("#1001", body, StringComparison.Ordinal);
            Assert.Contains("support@shop.example.com", body, StringComparison.Ordinal);
            Assert.Contains("https://shop.example.com/help", body, StringComparison.Ordinal);
            Assert.Contains($"https://shop.example.com/orders/{Order.OrderId}/status?expires=", body, StringComparison.Ordinal);
        }

        Assert.Contains("href=\"mailto:support@shop.example.com\"", content.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("href=\"https://shop.example.com/help\"", content.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{System.Net.WebUtility.HtmlEncode(StatusLink)}\"", content.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(StatusLink, content.TextBody, StringComparison.Ordinal);
        Assert.Contains("&sig=", StatusLink, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OrderConfirmed_LinesAndTotalsFormattedForUsdInEnUs()
    {
        var content = Render(Milestone.OrderConfirmed);

        Assert.Equal("Your Demo Store order #1001 is confirmed", content.Subject);
        foreach (var body in new[] { content.TextBody, content.HtmlBody })
        {
            Assert.Contains("2 x Ceramic Mug", body, StringComparison.Ordinal);
            Assert.Contains("$12.50 each, $25.00", body, StringComparison.Ordinal);
            Assert.Contains("1 x Logo T-Shirt", body, StringComparison.Ordinal);
            Assert.Contains("$24.00", body, StringComparison.Ordinal);
            Assert.Contains("-$5.00", body, StringComparison.Ordinal);
            Assert.Contains("$54.51", body, StringComparison.Ordinal);
            Assert.Contains("350 Fifth Avenue", body, StringComparison.Ordinal);
        }

        Assert.Contains("  Total: $54.51", content.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("USD", content.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_JpyOrder_FormatsYenWithoutDecimals()
    {
        var order = TestOrders.Create(currency: "JPY") with
        {
            Lines = [new LineItem("L1", "SKU-MUG", "Mug", 1, new Money(1500, "JPY"))],
            Totals = new OrderTotals(new(1500, "JPY"), new(500, "JPY"), new(0, "JPY"), new(0, "JPY"), new(2000, "JPY")),
        };

        var content = CustomerEmailRenderer.Render(new OrderRecord(order, OrderStatus.Validated, [], []), new CustomerNotification(order.OrderId, Milestone.OrderConfirmed, null), TestStore.Options(), StatusLink);

        foreach (var body in new[] { content.TextBody, content.HtmlBody })
        {
            Assert.Contains("¥1,500", body, StringComparison.Ordinal);
            Assert.Contains("¥2,000", body, StringComparison.Ordinal);
            Assert.DoesNotContain("¥1,500.", body, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Discount", content.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CustomerLocaleOfStoreLanguage_FormatsInCustomerLocale()
    {
        var order = TestOrders.Create(currency: "GBP") with { Customer = new Customer(TestOrders.Email, "Jane", "Doe", "en-GB") };

        var content = CustomerEmailRenderer.Render(new OrderRecord(order, OrderStatus.Validated, [], []), new CustomerNotification(order.OrderId, Milestone.OrderConfirmed, null), TestStore.Options(), StatusLink);

        Assert.Contains("£12.50 each, £25.00", content.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StoreInGermanyWithEuro_UsesGermanSeparatorsAndSymbolAfter()
    {
        var order = TestOrders.Create(currency: "EUR") with { Customer = new Customer(TestOrders.Email, "Jane", "Doe", null) };
        var store = TestStore.Options();
        store.Locale = "de-DE";

        var content = CustomerEmailRenderer.Render(new OrderRecord(order, OrderStatus.Validated, [], []), new CustomerNotification(order.OrderId, Milestone.OrderConfirmed, null), store, StatusLink);

        // ICU versions differ on a plain or a no-break space before the symbol.
        Assert.Contains("12,50 € each, 25,00 €", content.TextBody.Replace('\u00a0', ' '), StringComparison.Ordinal);
        Assert.Contains("<html lang=\"de\">", content.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShippedSingleParcel_HasCarrierTrackingNumberAndLink()
    {
        var all = Parcel1 with { Lines = [new FulfillmentLine("SKU-MUG", 2), new FulfillmentLine("SKU-TEE", 1)] };

        var content = Render(Milestone.Shipped, all.FulfillmentId, fulfillments: [all]);

        Assert.Equal("Your Demo Store order #1001 has shipped", content.Subject);
        Assert.Contains("Good news: your order #1001 is on its way.", content.TextBody, StringComparison.Ordinal);
        Assert.Contains("Carrier: SandboxPost", content.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Tracking number: {Tracking1}", content.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Track your parcel: https://tracking.example/{Tracking1}", content.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"https://tracking.example/{Tracking1}\"", content.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(Tracking1, content.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShippedAfterTheCancellationCameTooLate_SaysTheParcelCouldNotBeStoppedWithTracking()
    {
        var all = Parcel1 with { Lines = [new FulfillmentLine("SKU-MUG", 2), new FulfillmentLine("SKU-TEE", 1)] };

        var content = Render(Milestone.Shipped, all.FulfillmentId, new() { [DetailKeys.Reason] = "cancel-too-late" }, [all]);
        var plain = Render(Milestone.Shipped, all.FulfillmentId, fulfillments: [all]);

        Assert.Contains("this parcel had already left and could not be stopped", content.TextBody, StringComparison.Ordinal);
        Assert.Contains("this parcel had already left and could not be stopped", content.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"Tracking number: {Tracking1}", content.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("could not be stopped", plain.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShippedOneOfTwoParcels_IsPartiallyShippedWithThatParcelsItemsAndTrackingOnly()
    {
        var record = new OrderRecord(Order, OrderStatus.InFulfillment, [Parcel1, Parcel2], []);
        var notification = new CustomerNotification(Order.OrderId, Milestone.Shipped, Parcel1.FulfillmentId);

        var content = CustomerEmailRenderer.Render(record, notification, TestStore.Options(), StatusLink);

        Assert.Equal(CustomerEmailRenderer.PartiallyShipped, CustomerEmailRenderer.TemplateFor(record, notification));
        Assert.Equal("Part of your Demo Store order #1001 has shipped", content.Subject);
        Assert.Contains("Parcel 1 of 2 from your order #1001 is on its way.", content.TextBody, StringComparison.Ordinal);
        foreach (var body in new[] { content.TextBody, content.HtmlBody })
        {
            Assert.Contains("2 x Ceramic Mug", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Logo T-Shirt", body, StringComparison.Ordinal);
            Assert.Contains(Tracking1, body, StringComparison.Ordinal);
            Assert.DoesNotContain(Tracking2, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_ShippedAfterOtherParcelCancelled_IsAPlainShippedEmail()
    {
        var record = new OrderRecord(Order, OrderStatus.InFulfillment, [Parcel1, Parcel2 with { Status = "cancelled" }], []);

        Assert.Equal("shipped", CustomerEmailRenderer.TemplateFor(record, new CustomerNotification(Order.OrderId, Milestone.Shipped, Parcel1.FulfillmentId)));
    }

    [Fact]
    public void Render_MarkupInProductTitle_IsEscapedInHtmlAndKeptInText()
    {
        var order = Order with { Lines = [new LineItem("L1", "SKU-MUG", "<script>alert(1)</script> Mug", 2, new Money(1250, "USD")), Order.Lines[1]] };
        var record = new OrderRecord(order, OrderStatus.InFulfillment, [Parcel1], []);

        foreach (var milestone in new[] { Milestone.OrderConfirmed, Milestone.Shipped })
        {
            var content = CustomerEmailRenderer.Render(record, new CustomerNotification(order.OrderId, milestone, milestone == Milestone.Shipped ? Parcel1.FulfillmentId : null), TestStore.Options(), StatusLink);

            Assert.DoesNotContain("<script>", content.HtmlBody, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Mug", content.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("2 x <script>alert(1)</script> Mug", content.TextBody, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_MarkupInCustomerName_IsEscapedInHtml()
    {
        var order = TestOrders.Create(firstName: "<b onclick=x>Jane</b>");

        var content = CustomerEmailRenderer.Render(new OrderRecord(order, OrderStatus.Validated, [], []), new CustomerNotification(order.OrderId, Milestone.OrderConfirmed, null), TestStore.Options(), StatusLink);

        Assert.DoesNotContain("<b onclick", content.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Hi &lt;b onclick=x&gt;Jane&lt;/b&gt;,", content.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NonHttpTrackingUrl_IsNotRenderedAsLink()
    {
        var fulfillment = new FulfillmentRecord("F1", "WH-A", [new("SKU-MUG", 2)], "shipped", "SandboxPost", "SBX1", "javascript:alert(1)", null);

        var content = CustomerEmailRenderer.Render(
            new OrderRecord(Order, OrderStatus.InFulfillment, [fulfillment], []),
            new CustomerNotification(Order.OrderId, Milestone.Shipped, "F1"),
            TestStore.Options(), StatusLink);

        Assert.DoesNotContain("javascript:", content.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Track your parcel", content.TextBody, StringComparison.Ordinal);
        Assert.Contains("Tracking number: SBX1", content.TextBody, StringComparison.Ordinal);
        Assert.Equal("Your Demo Store order #1001 has shipped", content.Subject);
    }

    [Theory]
    [InlineData(Milestone.Shipped, "nope")]
    [InlineData(Milestone.Shipped, null)]
    [InlineData(Milestone.Delivered, null)]
    [InlineData(Milestone.Delayed, "nope")]
    public void Render_ParcelMilestoneWithoutThatFulfillment_Throws(Milestone milestone, string? fulfillmentId)
    {
        Assert.Throws<InvalidOperationException>(() => CustomerEmailRenderer.Render(
            new OrderRecord(Order, OrderStatus.InFulfillment, [], []),
            new CustomerNotification(Order.OrderId, milestone, fulfillmentId),
            TestStore.Options(), StatusLink));
    }

    [Fact]
    public void Render_OnHoldEvenWithAReason_StaysNeutral()
    {
        var content = Render(Milestone.OnHold, details: new() { [DetailKeys.Reason] = "fraud" });

        Assert.Equal("An update on your Demo Store order #1001", content.Subject);
        Assert.Contains("taking a closer look", content.TextBody, StringComparison.Ordinal);
        foreach (var word in new[] { "fraud", "risk", "suspicious", "declined", "review" })
        {
            Assert.DoesNotContain(word, content.TextBody, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(word, content.HtmlBody, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("address", "We are checking the delivery address for your order #1001 before it ships")]
    [InlineData("out-of-stock", "An item in your order #1001 is taking longer to get to us than planned")]
    public void Render_OnHoldForAddressOrStock_SaysWhatIsHappeningWhatNextAndWhereToAsk(string reason, string happening)
    {
        var content = Render(Milestone.OnHold, details: new() { [DetailKeys.Reason] = reason });

        Assert.Equal("An update on your Demo Store order #1001", content.Subject);
        foreach (var body in new[] { content.TextBody, content.HtmlBody })
        {
            Assert.Contains(happening, body, StringComparison.Ordinal);
            Assert.Contains("we will email you as soon as your order moves on", body, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("contact you", body, StringComparison.Ordinal);
            Assert.Contains("support@shop.example.com", body, StringComparison.Ordinal);
            Assert.DoesNotContain("out-of-stock", body, StringComparison.Ordinal);
            Assert.DoesNotContain("closer look", body, StringComparison.Ordinal);
        }

        Assert.Contains($"href=\"{System.Net.WebUtility.HtmlEncode(StatusLink)}\"", content.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(StatusLink, content.TextBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("address", "Good news: we have finished checking the delivery address for your order #1001, and your order is moving again.")]
    [InlineData("out-of-stock", "Good news: your order #1001 is no longer on hold and is moving again.")]
    [InlineData(null, "Good news: your order #1001 is no longer on hold and is moving again.")]
    public void Render_Resumed_SaysTheOrderMovesOnAndWhatNextWithStatusLinkAndSupportPath(string? reason, string moving)
    {
        var content = Render(Milestone.Resumed, details: reason is null ? null : new() { [DetailKeys.Reason] = reason });

        Assert.Equal("Your Demo Store order #1001 is moving again", content.Subject);
        foreach (var body in new[] { content.TextBody, content.HtmlBody })
        {
            Assert.Contains(moving, body, StringComparison.Ordinal);
            Assert.Contains("We will email you as soon as it is on its way", body, StringComparison.Ordinal);
            Assert.Contains("support@shop.example.com", body, StringComparison.Ordinal);
            Assert.Contains("https://shop.example.com/help", body, StringComparison.Ordinal);
        }

        Assert.Contains($"href=\"{System.Net.WebUtility.HtmlEncode(StatusLink)}\"", content.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(StatusLink, content.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PaymentProblemDeclined_SaysSoAndAsksToCheckPayment()
    {
        var content = Render(Milestone.PaymentProblem, details: new() { [DetailKeys.Reason] = "declined" });

        Assert.Equal("Action needed: payment for your Demo Store order #1001", content.Subject);
        Assert.Contains("We could not confirm the payment for your order #1001: your bank or card issuer declined it.", content.TextBody, StringComparison.Ordinal);
        Assert.Contains("$54.51", content.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BackorderedWithItemsAndDate_NamesThemAndTheDate()
    {
        var content = Render(Milestone.Backordered, details: new() { [DetailKeys.Items] = "SKU-TEE:1", [DetailKeys.ExpectedDate] = "2026-12-14" });

        Assert.Contains("1 x Logo T-Shirt", content.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Ceramic Mug", content.TextBody, StringComparison.Ordinal);
        Assert.Contains("We expect to ship them by Monday, December 14, 2026.", content.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SubstitutedWithDetails_SaysWhatWithWhatAndWhy()
    {
        var content = Render(Milestone.Substituted, details: new()
        {
            [DetailKeys.Items] = "SKU-TEE:1",
            [DetailKeys.SubstituteTitle] = "Logo T-Shirt (navy)",
            [DetailKeys.Reason] = "out-of-stock",
        });

        Assert.Equal("A change to your Demo Store order #1001", content.Subject);
        Assert.Contains("We replaced 1 x Logo T-Shirt in your order #1001 with Logo T-Shirt (navy), because the original was out of stock.", content.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DelayedParcelWithReasonAndDates_SaysWhoIsLateAndTheNewDate()
    {
        var content = Render(Milestone.Delayed, Parcel1.FulfillmentId, new()
        {
            [DetailKeys.Reason] = "carrier-late",
            [DetailKeys.PromisedDate] = "2026-12-02",
            [DetailKeys.ExpectedDate] = "2026-12-05",
        }, [Parcel1, Parcel2]);

        Assert.Equal("Your Demo Store order #1001 is delayed", content.Subject);
        Assert.Contains("A parcel from your order #1001 is running late: the carrier is taking longer than planned to deliver it.", content.TextBody, StringComparison.Ordinal);
        Assert.Contains("We had promised it by Wednesday, December 2, 2026. We now expect it by Saturday, December 5, 2026.", content.TextBody, StringComparison.Ordinal);
        Assert.Contains(Tracking1, content.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Logo T-Shirt", content.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OutForDeliveryAndDelivered_NameTheParcel()
    {
        var outForDelivery = Render(Milestone.OutForDelivery, Parcel2.FulfillmentId, fulfillments: [Parcel1, Parcel2]);
        var delivered = Render(Milestone.Delivered, Parcel2.FulfillmentId, new() { [DetailKeys.OccurredOn] = "2026-12-03" }, [Parcel1, Parcel2]);

        Assert.Contains("Parcel 2 of 2 from your order #1001 is out for delivery", outForDelivery.TextBody, StringComparison.Ordinal);
        Assert.Contains("Parcel 2 of 2 from your order #1001 was delivered on Thursday, December 3, 2026.", delivered.TextBody, StringComparison.Ordinal);
        foreach (var content in new[] { outForDelivery, delivered })
        {
            Assert.Contains("1 x Logo T-Shirt", content.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain("Ceramic Mug", content.TextBody, StringComparison.Ordinal);
            Assert.Contains(Tracking2, content.TextBody, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_DeliveredDigitally_GivesTheDownloadLinkAndNoParcelWording()
    {
        var digital = Parcel1 with { Location = "digital", Status = "delivered", Carrier = null, TrackingNumber = null, TrackingUrl = null, LabelUrl = null };
        var content = Render(
            Milestone.Delivered,
            digital.FulfillmentId,
            new() { [DetailKeys.Items] = "SKU-MUG:2", [DetailKeys.DownloadUrl] = "https://shop.example.com/downloads/mug-care" },
            [digital]);

        Assert.Equal("Your Demo Store order #1001: your download is ready", content.Subject);
        Assert.Contains("The digital items from your order #1001 are ready.", content.TextBody, StringComparison.Ordinal);
        Assert.Contains("Get your download: https://shop.example.com/downloads/mug-care", content.TextBody, StringComparison.Ordinal);
        Assert.Contains("href=\"https://shop.example.com/downloads/mug-care\"", content.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("parcel", content.TextBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_CancelledWithRefund_SaysWhatWasRefunded()
    {
        var content = Render(Milestone.Cancelled, details: new() { [DetailKeys.Amount] = "5451", [DetailKeys.Reason] = "customer-request" });

        Assert.Equal("Your Demo Store order #1001 has been cancelled", content.Subject);
        Assert.Contains("Your order #1001 has been cancelled as you asked and will not ship.", content.TextBody, StringComparison.Ordinal);
        Assert.Contains("We have refunded $54.51 to your original payment method.", content.TextBody, StringComparison.Ordinal);
        Assert.Contains("2 x Ceramic Mug", content.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CancelledWithUnknownReason_DoesNotPrintTheCode()
    {
        var content = Render(Milestone.Cancelled, details: new() { [DetailKeys.Reason] = "fraud-review" });

        Assert.Contains("Your order #1001 has been cancelled and will not ship.", content.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("fraud", content.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("If you were charged for this order, the amount is refunded", content.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ReturnReceivedAndRefunded_ShowItemsAndAmount()
    {
        var details = new Dictionary<string, string> { [DetailKeys.Items] = "SKU-MUG:1", [DetailKeys.Amount] = "1250" };

        var received = Render(Milestone.ReturnReceived, details: details);
        var refunded = Render(Milestone.Refunded, details: details);

        Assert.Equal("We received your return for Demo Store order #1001", received.Subject);
        Assert.Contains("we will refund $12.50 to your original payment method", received.TextBody, StringComparison.Ordinal);
        Assert.Equal("Your refund for Demo Store order #1001", refunded.Subject);
        Assert.Contains("We have refunded $12.50 for your order #1001 to your original payment method.", refunded.TextBody, StringComparison.Ordinal);
        foreach (var content in new[] { received, refunded })
        {
            Assert.Contains("1 x Ceramic Mug", content.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain("Logo T-Shirt", content.TextBody, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(DetailKeys.Amount, "12.50")]
    [InlineData(DetailKeys.Items, "SKU-MUG")]
    [InlineData(DetailKeys.ExpectedDate, "14/12/2026")]
    public void Render_MalformedDetail_ThrowsNamingTheKey(string key, string value)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Render(Milestone.Refunded, details: new() { [key] = value }));

        Assert.Contains($"'{key}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StoreBranding_ShowsLogoColorAndPhone()
    {
        var store = TestStore.Options();
        store.LogoUrl = "https://cdn.shop.example.com/logo.png";
        store.PrimaryColor = "#AA3300";
        store.SupportPhone = "+1 212-555-0100";

        var content = CustomerEmailRenderer.Render(new OrderRecord(Order, OrderStatus.Validated, [], []), new CustomerNotification(Order.OrderId, Milestone.OrderConfirmed, null), store, StatusLink);

        Assert.Contains("<img src=\"https://cdn.shop.example.com/logo.png\" alt=\"Demo Store\"", content.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("border-top:4px solid #AA3300", content.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("href=\"tel:&#x2B;12125550100\"", content.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("or call us at +1 212-555-0100.", content.TextBody, StringComparison.Ordinal);
    }

    private static EmailContent Render(Milestone milestone, string? fulfillmentId = null, Dictionary<string, string>? details = null, IReadOnlyList<FulfillmentRecord>? fulfillments = null)
    {
        var parcels = fulfillments ?? [Parcel1];
        var parcel = fulfillmentId ?? (milestone is Milestone.Shipped or Milestone.OutForDelivery or Milestone.Delivered ? parcels[0].FulfillmentId : null);
        return CustomerEmailRenderer.Render(
            new OrderRecord(Order, OrderStatus.InFulfillment, parcels, []),
            new CustomerNotification(Order.OrderId, milestone, parcel, null, details),
            TestStore.Options(), StatusLink);
    }
}
