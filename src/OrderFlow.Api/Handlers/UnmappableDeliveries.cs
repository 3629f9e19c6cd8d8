using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// A delivery whose signature verified but that cannot be mapped to an order (a Shopify order with no shipping address,
/// a field of the wrong type) needs a person, not a retry: it is recorded as rejected-unmappable with its whole payload
/// (signed, so not anyone's) and an IntakeRejected case is opened, keyed by source and delivery id so a redelivery
/// finds the same case and an identical body is not stored twice. The case names the reasons (field and rule, from the
/// mapper) and where the delivery is kept, never customer data.
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

    /// <summary>
    /// The case id for a delivery: one per (source, delivery id), "intake-{source}-{delivery id}", the id made safe for
    /// keys and links as order ids are (<see cref="OrderIds.For"/>: an unusual or long id becomes a prefix and a hash).
    /// </summary>
    public static string CaseId(string source, string deliveryId) => $"intake-{source}-{SafeId(source, deliveryId)}";

    /// <summary>What a person does about an order that could not be mapped (the default remedy).</summary>
    public const string FixOrderInChannel =
        "No order was started: handle the order by hand in the channel (or fix it there and have it sent again), then approve to acknowledge.";

    /// <summary>Records the delivery and opens its case with the default remedy (<see cref="FixOrderInChannel"/>).</summary>
    public Task<string> RejectAsync(string source, string deliveryId, string topic, string raw, string reasons, CancellationToken cancellationToken) =>
        RejectAsync(source, deliveryId, topic, raw, reasons, FixOrderInChannel, cancellationToken);

    /// <summary>
    /// Records the delivery whole as rejected-unmappable (once: a redelivery of the same body is not stored again), opens
    /// (or finds) its case, alerts best effort (once per case); returns the case id. Safe to repeat: a failure after the
    /// record answers 500, and the channel's redelivery opens the case.
    /// </summary>
    /// <param name="reasons">The mapper's reasons: field and rule (no customer data).</param>
    /// <param name="remedy">What a person should do (no customer data).</param>
    public async Task<string> RejectAsync(
        string source, string deliveryId, string topic, string raw, string reasons, string remedy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(deliveryId);
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentException.ThrowIfNullOrWhiteSpace(remedy);
        var now = clock.GetUtcNow();
        var seen = await deliveries.GetAsync(source, deliveryId, cancellationToken);
        if (seen is { Outcome: DeliveryOutcomes.RejectedUnmappable } && seen.RawPayload == raw)
        {
            LogRedelivered(source, deliveryId);
        }
        else
        {
            await deliveries.RecordRejectedAsync(new WebhookDelivery(source, deliveryId, topic, now, DeliveryOutcomes.RejectedUnmappable, reasons, null, raw), cancellationToken);
        }

        var caseId = CaseId(source, deliveryId);
        var subject = CaseSubject(source, deliveryId);
        var error = $"A signed {source} delivery ({topic}) could not be mapped: {reasons}. "
            + $"It is kept whole as {DeliveryOutcomes.RejectedUnmappable} under source '{source}', delivery id '{deliveryId}'. {remedy}";

        // No order exists: the case is filed under the delivery, and no workflow waits for its decision.
        await cases.OpenAsync(
            new OpenCaseRequest(
                caseId, subject, ExceptionReason.IntakeRejected, CaseStep, error, CasePolicy.AllowedResolutions(ExceptionReason.IntakeRejected),
                now + OpenCaseRequest.NoWorkflowDeadline, OpenCaseRequest.NoWorkflow),
            cancellationToken);
        LogOpened(source, deliveryId, caseId);
        await OpenCaseActivity.AlertBestEffortAsync(cases, subject, caseId, clock, logger, cancellationToken);
        return caseId;
    }

    /// <summary>The case's order id field for a delivery that made no order: "{source}-delivery-{delivery id}" (made safe).</summary>
    public static string CaseSubject(string source, string deliveryId) => $"{source}-delivery-{SafeId(source, deliveryId)}";

    private static string SafeId(string source, string deliveryId) => OrderIds.For(source, deliveryId)[(source.Length + 1)..];

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed {Source} delivery {DeliveryId} could not be mapped again (same body, already kept)")]
    private partial void LogRedelivered(string source, string deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signed {Source} delivery {DeliveryId} could not be mapped; case {CaseId} opened")]
    private partial void LogOpened(string source, string deliveryId, string caseId);
}
