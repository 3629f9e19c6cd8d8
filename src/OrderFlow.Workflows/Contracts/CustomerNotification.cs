using System.Globalization;
using System.Text.Json.Serialization;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// One customer message, sent at most once per <see cref="Key"/> = (order, milestone, fulfillment, reference).
/// <see cref="Reference"/> tells apart milestones that can happen more than once for the same order or parcel
/// (a second refund, a second delay). <see cref="Details"/> carries milestone data the order record does not hold,
/// under the names in <see cref="DetailKeys"/>; it must stay free of customer data (no names, addresses, emails).
/// Every detail is optional: the email reads sensibly without it.
/// </summary>
/// <param name="Before">From <see cref="OrderWorkflowVersions.FulfillmentRecordWithStep"/>, on the Shipped email: the
/// fulfillment's record (shipped) that <c>NotifyCustomerActivity</c> writes before it sends the email. Not part of the
/// message (never given to the notifier, not compared); null (and not serialized) otherwise.</param>
public sealed record CustomerNotification(
    string OrderId,
    Milestone Milestone,
    string? FulfillmentId,
    string? Reference = null,
    IReadOnlyDictionary<string, string>? Details = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FulfillmentUpdate? Before = null)
{
    public string Key
    {
        get
        {
            var key = FulfillmentId is null ? $"{OrderId}:{Milestone}" : $"{OrderId}:{Milestone}:{FulfillmentId}";
            return Reference is null ? key : $"{key}#{Reference}";
        }
    }

    /// <summary>"SKU:quantity" pairs joined by commas, the format of <see cref="DetailKeys.Items"/>.</summary>
    public static string FormatItems(IEnumerable<(string Sku, int Quantity)> items) =>
        string.Join(",", items.Select(i => $"{i.Sku}:{i.Quantity.ToString(CultureInfo.InvariantCulture)}"));

    // Details compare by content, so a notification still equals itself after a round trip through workflow history.
    public bool Equals(CustomerNotification? other) =>
        other is not null
        && OrderId == other.OrderId
        && Milestone == other.Milestone
        && FulfillmentId == other.FulfillmentId
        && Reference == other.Reference
        && SameDetails(Details, other.Details);

    public override int GetHashCode() => HashCode.Combine(OrderId, Milestone, FulfillmentId, Reference, Details?.Count ?? 0);

    private static bool SameDetails(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);
    }

    /// <summary>Names of <see cref="Details"/> entries. Values are plain strings; formats as documented.</summary>
    public static class DetailKeys
    {
        /// <summary>
        /// A short reason code. Templates word the known ones and ignore the rest (a fraud hold never shows one):
        /// PaymentProblem "declined" | "expired"; Substituted "out-of-stock" | "discontinued" | "damaged";
        /// Delayed "fulfillment-late" | "carrier-late"; Cancelled "customer-request" | "out-of-stock" | "payment";
        /// OnHold, Resumed "out-of-stock" | "address";
        /// Shipped "cancel-too-late" (a cancellation reached the location after the parcel had left).
        /// </summary>
        public const string Reason = "reason";

        /// <summary>The items concerned, "SKU:quantity,SKU:quantity" (see <see cref="FormatItems"/>).</summary>
        public const string Items = "items";

        /// <summary>Substituted: the product title that replaced the items of <see cref="Items"/>.</summary>
        public const string SubstituteTitle = "substituteTitle";

        /// <summary>An amount in minor units of the order currency, e.g. "1250" (refunded, to be refunded).</summary>
        public const string Amount = "amount";

        /// <summary>Delayed: the date promised before, ISO "yyyy-MM-dd".</summary>
        public const string PromisedDate = "promisedDate";

        /// <summary>Delayed, Backordered: the new expected date, ISO "yyyy-MM-dd".</summary>
        public const string ExpectedDate = "expectedDate";

        /// <summary>Delivered, ReturnReceived, Refunded: when it happened, ISO "yyyy-MM-dd".</summary>
        public const string OccurredOn = "occurredOn";

        /// <summary>Delivered (digital products): the store's download or licence page, an absolute https URL.</summary>
        public const string DownloadUrl = "downloadUrl";
    }
}
