using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// The one path both ways in (operator route, Shopify orders/cancelled) share: ask the order's workflow for its state,
/// raise <see cref="CancelOrderRequest.EventName"/> while it runs, and note the request, raised or refused, on the
/// order's timeline (reason code, SKUs and choices only; no customer data).
/// </summary>
public sealed partial class OrderCancellation(IOrderStore orders, TimeProvider clock, ILogger<OrderCancellation> logger)
{
    public const string TimelineKind = "cancellation";

    /// <summary>
    /// A request id that is the same every time for the same (<paramref name="scope"/>, <paramref name="key"/>), so a
    /// retried request raises the same id and the workflow can recognise it.
    /// </summary>
    public static string RequestIdFor(string scope, string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{scope}\n{key}"));
        return "cancel-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>The 409 detail for a workflow that already finished.</summary>
    public static string TooLateDetail(string orderId, string finishedAs) =>
        $"Order '{orderId}' already finished as {finishedAs}: shipped items cannot be cancelled, create a return via POST {ApiRoutes.OrderUrl(orderId)}/returns.";

    public async Task<CancellationSubmission> SubmitAsync(string orderId, CancelOrderRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(workflows);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = orderId });
        var status = await workflows.GetStatusAsync(orderId, cancellationToken);
        if (status is null)
        {
            LogNoWorkflow(orderId, request.RequestId, request.RequestedBy);
            return new CancellationSubmission(CancellationSubmission.NoWorkflow, null);
        }

        if (status.IsTerminal)
        {
            await orders.AppendTimelineAsync(
                orderId,
                new TimelineEntry(clock.GetUtcNow(), TimelineKind, $"Cancellation {request.RequestId} from {request.RequestedBy} ({request.Reason}; {Describe(request)}) refused: the order already finished as {status.RuntimeStatus}; shipped items need a return."),
                cancellationToken);
            LogTooLate(orderId, request.RequestId, request.RequestedBy, status.RuntimeStatus);
            return new CancellationSubmission(CancellationSubmission.TooLate, status.RuntimeStatus);
        }

        await workflows.RaiseEventAsync(orderId, CancelOrderRequest.EventName, request, cancellationToken);
        await orders.AppendTimelineAsync(
            orderId,
            new TimelineEntry(clock.GetUtcNow(), TimelineKind, $"Cancellation {request.RequestId} requested by {request.RequestedBy} ({request.Reason}; {Describe(request)})."),
            cancellationToken);
        LogRaised(orderId, request.RequestId, request.RequestedBy, request.Reason);
        return new CancellationSubmission(CancellationSubmission.Raised, null);
    }

    private static string Describe(CancelOrderRequest request)
    {
        var lines = request.Lines is { Count: > 0 } some
            ? string.Join(", ", some.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Quantity} x {l.Sku}")))
            : "all unshipped lines";
        return $"{lines}; restock {YesNo(request.Restock)}, refund {YesNo(request.Refund)}, notify customer {YesNo(request.NotifyCustomer)}";
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: cancellation {RequestId} from {RequestedBy} ({Reason}) raised to the workflow")]
    private partial void LogRaised(string orderId, string requestId, string requestedBy, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: cancellation {RequestId} from {RequestedBy} refused, workflow already {RuntimeStatus}")]
    private partial void LogTooLate(string orderId, string requestId, string requestedBy, string runtimeStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: cancellation {RequestId} from {RequestedBy} has no workflow to go to")]
    private partial void LogNoWorkflow(string orderId, string requestId, string requestedBy);
}
