using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Cases;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// A delivery whose signature verified but that cannot be mapped to an order (a Shopify order with no shipping address,
/// a field of the wrong type) needs a person, not a retry: it is recorded as rejected-unmappable with its whole payload
/// (signed, so not anyone's) and an IntakeRejected case is opened, keyed by source and delivery id so a redelivery
/// finds the same case. The case names the reasons (field and rule) and where the delivery is kept, never its values.
/// </summary>
public sealed partial class UnmappableDeliveries(IDeliveryStore deliveries, IExceptionQueue cases, TimeProvider clock, ILogger<UnmappableDeliveries> logger)
{
    /// <summary>The answer status for Shopify and WooCommerce: a 200, so the channel stops retrying a body that will not change.</summary>
    public const string NeedsReview = "rejected-needs-review";

    /// <summary>The step named on an IntakeRejected case.</summary>
    public const string CaseStep = "intake-mapping";

    /// <summary>The delivery id to file under: the channel's header, or (none sent) a hash of the body, so a resend finds the same case.</summary>
    public static string DeliveryKey(string? headerId, string raw) =>
        string.IsNullOrWhiteSpace(headerId)
            ? $"sha256-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw ?? string.Empty)))[..32]}"
            : headerId;

    /// <summary>The case id for a delivery: one per (source, delivery id).</summary>
    public static string CaseId(string source, string deliveryId) => $"intake-{source}-{deliveryId}";

    /// <summary>Records the delivery whole as rejected-unmappable, opens (or finds) its case, alerts best effort; returns the case id.</summary>
    public async Task<string> RejectAsync(string source, string deliveryId, string topic, string raw, string reasons, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(deliveryId);
        var now = clock.GetUtcNow();
        await deliveries.RecordRejectedAsync(new WebhookDelivery(source, deliveryId, topic, now, DeliveryOutcomes.RejectedUnmappable, reasons, null, raw), cancellationToken);

        var caseId = CaseId(source, deliveryId);
        var error = $"A signed {source} delivery ({topic}) could not be mapped to an order: {reasons}. "
            + $"It is kept whole as {DeliveryOutcomes.RejectedUnmappable} under source '{source}', delivery id '{deliveryId}'. "
            + "Fix the order in the channel (which sends it again, or post it to the intake), then approve to acknowledge.";

        // No order exists: the case is filed under the delivery, and no workflow waits for its decision.
        await cases.OpenAsync(
            new OpenCaseRequest(
                caseId, $"{source}-delivery-{deliveryId}", ExceptionReason.IntakeRejected, CaseStep, error, CasePolicy.AllowedResolutions(ExceptionReason.IntakeRejected),
                now + OpenCaseRequest.NoWorkflowDeadline, OpenCaseRequest.NoWorkflow),
            cancellationToken);
        LogOpened(source, deliveryId, caseId);
        await OpenCaseActivity.AlertBestEffortAsync(cases, $"{source}-delivery-{deliveryId}", caseId, clock, logger, cancellationToken);
        return caseId;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signed {Source} delivery {DeliveryId} could not be mapped to an order; case {CaseId} opened")]
    private partial void LogOpened(string source, string deliveryId, string caseId);
}
