using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Email;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Notifications;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Fulfillment;

/// <summary>
/// Hands a fulfillment to a dropship vendor by emailing a purchase order (lines, ship-to, label and tracking when
/// known, and how to confirm) to the location's FulfillmentPartners VendorEmail. The email's NotificationKey is the
/// dispatch's idempotency key, so a retried hand-off carries the same Message-Id and the vendor's mail system can drop it.
/// A cancellation is a second email ("Cancel purchase order ...", keyed by the cancellation's idempotency key) asking the
/// vendor to confirm through the same signed callback; its answer is pending until then.
/// </summary>
public sealed partial class DropshipEmailFulfillmentProvider(
    IEmailSender email,
    FulfillmentHandoffReader handoffs,
    IOptions<FulfillmentPartnersOptions> partners,
    IOptions<StoreOptions> store,
    ILogger<DropshipEmailFulfillmentProvider> logger) : IFulfillmentProvider, IFulfillmentCanceller
{
    public async Task<string> DispatchAsync(FulfillmentDispatch dispatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        var partner = partners.Value.Find(dispatch.Location);
        if (partner is not { VendorEmail: { Length: > 0 } vendorEmail })
        {
            throw new InvalidOperationException($"Location '{dispatch.Location}' has no FulfillmentPartners:Locations entry with a VendorEmail; fulfillment {dispatch.FulfillmentId} cannot be sent to its vendor.");
        }

        var handoff = await handoffs.ReadAsync(dispatch, cancellationToken);
        var text = PurchaseOrderText(handoff, store.Value.StoreName);
        var message = new EmailMessage(
            vendorEmail,
            string.IsNullOrWhiteSpace(partner.VendorName) ? null : partner.VendorName,
            $"Purchase order {dispatch.FulfillmentId} from {store.Value.StoreName}",
            text,
            $"<pre style=\"font-family:monospace\">{WebUtility.HtmlEncode(text)}</pre>",
            NotificationKey(dispatch),
            store.Value.SupportEmail);
        var messageId = await email.SendAsync(message, cancellationToken);
        LogSent(dispatch.OrderId, dispatch.FulfillmentId, dispatch.Location, messageId);
        return messageId;
    }

    public async Task<LocationCancelAnswer> CancelAsync(FulfillmentCancellation cancellation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cancellation);
        ArgumentException.ThrowIfNullOrWhiteSpace(cancellation.IdempotencyKey);
        var partner = partners.Value.Find(cancellation.Location);
        if (partner is not { VendorEmail: { Length: > 0 } vendorEmail })
        {
            throw new InvalidOperationException($"Location '{cancellation.Location}' has no FulfillmentPartners:Locations entry with a VendorEmail; the cancellation of {cancellation.FulfillmentId} cannot reach its vendor.");
        }

        var storeName = store.Value.StoreName;
        var text = CancellationText(cancellation, storeName, handoffs.CallbackUrl(cancellation.FulfillmentId));
        var message = new EmailMessage(
            vendorEmail,
            string.IsNullOrWhiteSpace(partner.VendorName) ? null : partner.VendorName,
            $"Cancel purchase order {cancellation.FulfillmentId} from {storeName}",
            text,
            $"<pre style=\"font-family:monospace\">{WebUtility.HtmlEncode(text)}</pre>",
            $"{cancellation.IdempotencyKey}:cancel-purchase-order",
            store.Value.SupportEmail);
        var messageId = await email.SendAsync(message, cancellationToken);
        LogCancelSent(cancellation.OrderId, cancellation.FulfillmentId, cancellation.Location, messageId);
        return new LocationCancelAnswer(LocationCancelAnswer.Pending, null, $"email {messageId}");
    }

    /// <summary>One purchase order per dispatch: the same key on every retry.</summary>
    public static string NotificationKey(FulfillmentDispatch dispatch)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        return $"{dispatch.IdempotencyKey}:purchase-order";
    }

    private static string PurchaseOrderText(FulfillmentHandoff handoff, string storeName)
    {
        var d = handoff.Dispatch;
        var a = handoff.ShipTo;
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Purchase order {d.FulfillmentId} (order {d.OrderId}) from {storeName}.");
        text.AppendLine().AppendLine("Please ship:");
        foreach (var line in d.Lines)
        {
            text.AppendLine(c, $"  {line.Quantity} x {line.Sku}");
        }

        text.AppendLine().AppendLine("Ship to:").AppendLine(c, $"  {a.Name}").AppendLine(c, $"  {a.Line1}");
        if (!string.IsNullOrWhiteSpace(a.Line2))
        {
            text.AppendLine(c, $"  {a.Line2}");
        }

        text.AppendLine(c, $"  {a.PostalCode} {a.City}{(string.IsNullOrWhiteSpace(a.Province) ? string.Empty : ", " + a.Province)}").AppendLine(c, $"  {a.CountryCode}");
        if (!string.IsNullOrWhiteSpace(a.Phone))
        {
            text.AppendLine(c, $"  Phone: {a.Phone}");
        }

        if (handoff.LabelUrl is not null || handoff.TrackingNumber is not null)
        {
            text.AppendLine().AppendLine(c, $"Use our prepaid label: {handoff.LabelUrl ?? "(sent separately)"} ({handoff.Carrier} tracking {handoff.TrackingNumber}).");
        }

        text.AppendLine()
            .AppendLine("Confirm with a signed POST to:")
            .AppendLine(c, $"  {handoff.CallbackUrl}")
            .AppendLine("Header X-OrderFlow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 with the key we gave you of \"<t>.POST.<the URL's path>.<body>\">;")
            .AppendLine("sign each request when you send it (we refuse a timestamp more than a few minutes off).")
            .AppendLine("Body: {\"status\":\"shipped\",\"eventId\":\"<your id>\"}; status is picked, shipped, rejected (with \"reason\")")
            .AppendLine("or short (with \"shortLines\":[{\"sku\":\"...\",\"quantity\":1}] for what you cannot ship).")
            .AppendLine(c, $"Reference for any reply: {d.IdempotencyKey}");
        return text.ToString();
    }

    // No ship-to address: the vendor has it on the purchase order; the cancellation names the order and the lines.
    private static string CancellationText(FulfillmentCancellation cancellation, string storeName, string callbackUrl)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Please CANCEL purchase order {cancellation.FulfillmentId} (order {cancellation.OrderId}) from {storeName} and do not ship it:");
        foreach (var line in cancellation.Lines)
        {
            text.AppendLine(c, $"  {line.Quantity} x {line.Sku}");
        }

        if (!string.IsNullOrWhiteSpace(cancellation.TrackingNumber))
        {
            text.AppendLine().AppendLine(c, $"Do not use our prepaid label {cancellation.TrackingNumber}: it is being voided.");
        }

        text.AppendLine()
            .AppendLine("Confirm with a signed POST (as for the purchase order) to:")
            .AppendLine(c, $"  {callbackUrl}")
            .AppendLine("Body: {\"status\":\"cancelled\",\"eventId\":\"<your id>\"} when nothing left, or {\"status\":\"shipped\",\"eventId\":\"<your id>\"}")
            .AppendLine("if the parcel had already gone.")
            .AppendLine(c, $"Reference for any reply: {cancellation.IdempotencyKey}");
        return text.ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: cancellation of purchase order {FulfillmentId} emailed to the vendor at {Location} as {MessageId}")]
    private partial void LogCancelSent(string orderId, string fulfillmentId, string location, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: purchase order for fulfillment {FulfillmentId} emailed to the vendor at {Location} as {MessageId}")]
    private partial void LogSent(string orderId, string fulfillmentId, string location, string messageId);
}
