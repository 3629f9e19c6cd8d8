using System.Globalization;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Notifications;
using static OrderFlow.Workflows.Contracts.CustomerNotification;

namespace OrderFlow.Integrations.Email;

/// <summary>
/// Sample orders for every template, in the currency of the store's region: 2 mugs and a T-shirt, split over two
/// parcels where the template is about one of several. <c>minimal</c> leaves out everything optional (details,
/// tracking, first name) so both sides of each template's conditions can be rendered.
/// </summary>
public static class SampleNotifications
{
    public const string OrderId = "sample-order-1001";

    public static SampleNotification For(string template, StoreOptions store, bool minimal = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        var milestone = MilestoneOf(template);
        var currency = CurrencyOf(store.Locale);
        var order = Order(currency, store.Locale, minimal);
        // Per-parcel milestones name a fulfillment; the full samples show "parcel 1 of 2" where the template can.
        var perParcel = milestone is Milestone.Shipped or Milestone.OutForDelivery or Milestone.Delivered
            || (milestone == Milestone.Delayed && !minimal);
        List<FulfillmentRecord> parcels = !perParcel ? []
            : template == CustomerEmailRenderer.PartiallyShipped || (!minimal && milestone != Milestone.Shipped) ? Split(minimal)
            : [Parcel(1, [new FulfillmentLine("SKU-MUG", 2), new FulfillmentLine("SKU-TEE", 1)], "shipped", minimal)];
        var fulfillmentId = perParcel ? parcels[0].FulfillmentId : null;
        var reference = milestone is Milestone.ReturnReceived or Milestone.Refunded ? "sample-1"
            : milestone is Milestone.OnHold or Milestone.Resumed ? $"{OrderId}-validate-1"
            : null;
        var status = milestone switch
        {
            Milestone.Cancelled => OrderStatus.Cancelled,
            Milestone.OnHold or Milestone.PaymentProblem => OrderStatus.OnHold,
            Milestone.OrderConfirmed => OrderStatus.PaymentConfirmed,
            Milestone.Delivered or Milestone.ReturnReceived or Milestone.Refunded => OrderStatus.Fulfilled,
            _ => OrderStatus.InFulfillment,
        };
        return new SampleNotification(
            new OrderRecord(order, status, parcels, []),
            new CustomerNotification(OrderId, milestone, fulfillmentId, reference, minimal ? null : Details(milestone, currency)));
    }

    private static Milestone MilestoneOf(string template) => template switch
    {
        "order-confirmed" => Milestone.OrderConfirmed,
        "payment-problem" => Milestone.PaymentProblem,
        "on-hold" => Milestone.OnHold,
        "backordered" => Milestone.Backordered,
        "substituted" => Milestone.Substituted,
        "delayed" => Milestone.Delayed,
        "shipped" or CustomerEmailRenderer.PartiallyShipped => Milestone.Shipped,
        "out-for-delivery" => Milestone.OutForDelivery,
        "delivered" => Milestone.Delivered,
        "cancelled" => Milestone.Cancelled,
        "return-received" => Milestone.ReturnReceived,
        "refunded" => Milestone.Refunded,
        "resumed" => Milestone.Resumed,
        _ => throw new ArgumentOutOfRangeException(nameof(template), template, "No sample for this template."),
    };

    private static Dictionary<string, string>? Details(Milestone milestone, string currency) => milestone switch
    {
        Milestone.PaymentProblem => new() { [DetailKeys.Reason] = "declined" },
        Milestone.OnHold or Milestone.Resumed => new() { [DetailKeys.Reason] = "address" },
        Milestone.Backordered => new() { [DetailKeys.Items] = "SKU-TEE:1", [DetailKeys.ExpectedDate] = "2026-12-14" },
        Milestone.Substituted => new() { [DetailKeys.Items] = "SKU-TEE:1", [DetailKeys.SubstituteTitle] = "Logo T-Shirt (navy)", [DetailKeys.Reason] = "out-of-stock" },
        Milestone.Delayed => new() { [DetailKeys.Reason] = "carrier-late", [DetailKeys.PromisedDate] = "2026-12-02", [DetailKeys.ExpectedDate] = "2026-12-05" },
        Milestone.Delivered => new() { [DetailKeys.OccurredOn] = "2026-12-03" },
        Milestone.Cancelled => new() { [DetailKeys.Reason] = "customer-request", [DetailKeys.Amount] = Minor(5451, currency) },
        Milestone.ReturnReceived => new() { [DetailKeys.Items] = "SKU-MUG:1", [DetailKeys.Amount] = Minor(1250, currency), [DetailKeys.OccurredOn] = "2026-12-10" },
        Milestone.Refunded => new() { [DetailKeys.Items] = "SKU-MUG:1", [DetailKeys.Amount] = Minor(1250, currency), [DetailKeys.OccurredOn] = "2026-12-11" },
        _ => null,
    };

    private static Order Order(string currency, string locale, bool minimal)
    {
        Money M(long cents) => new(long.Parse(Minor(cents, currency), CultureInfo.InvariantCulture), currency);
        return new Order(
            OrderId,
            "sample",
            "1001",
            "#1001",
            new Customer("alex.sample@example.com", minimal ? string.Empty : "Alex", "Sample", locale),
            new Address("Alex Sample", "1 Sample Street", null, "Springfield", null, "12345", "US", null),
            [
                new LineItem("L1", "SKU-MUG", "Ceramic Mug", 2, M(1250)),
                new LineItem("L2", "SKU-TEE", "Logo T-Shirt", 1, M(2400)),
            ],
            new OrderTotals(M(4900), M(699), M(352), M(500), M(5451)),
            currency,
            null,
            new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));
    }

    private static List<FulfillmentRecord> Split(bool minimal) =>
    [
        Parcel(1, [new FulfillmentLine("SKU-MUG", 2)], "shipped", minimal),
        Parcel(2, [new FulfillmentLine("SKU-TEE", 1)], "awaiting-confirmation", minimal: true),
    ];

    private static FulfillmentRecord Parcel(int number, IReadOnlyList<FulfillmentLine> lines, string status, bool minimal)
    {
        var tracking = $"SBX10010{number}";
        return minimal
            ? new FulfillmentRecord(OrderIds.Fulfillment(OrderId, number), $"WH-{number}", lines, status, null, null, null, null)
            : new FulfillmentRecord(OrderIds.Fulfillment(OrderId, number), $"WH-{number}", lines, status, "SandboxPost", tracking, $"https://tracking.example/{tracking}", null);
    }

    // Sample prices are written in cents; currencies with other exponents get the same digits shifted.
    private static string Minor(long cents, string currency)
    {
        var value = cents;
        for (var i = 2; i < Currencies.Exponent(currency); i++)
        {
            value *= 10;
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }

    private static string CurrencyOf(string locale)
    {
        if (EmailCulture.TryGetSpecific(locale, out var culture))
        {
            try
            {
                var code = new RegionInfo(culture.Name).ISOCurrencySymbol;
                if (Currencies.IsValidCode(code))
                {
                    return code;
                }
            }
            catch (ArgumentException)
            {
                // No region: the default below.
            }
        }

        return "USD";
    }
}
