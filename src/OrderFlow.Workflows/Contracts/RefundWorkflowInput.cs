using System.Globalization;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Starts the refund child workflow (<c>RefundOrchestrator</c>) a parent workflow gives money back through, under
/// <see cref="InstanceIdFor"/>. The idempotency keys stay the parent's: <see cref="KeyInstanceId"/> (the parent's
/// instance id) + <see cref="KeyStep"/>, and "-{round}" appended after a person retried (<see cref="KeyFor"/>). A RefundFailed
/// case is numbered under the parent's case id prefix (<see cref="CaseIdPrefix"/>-<see cref="CaseIdPart"/>-{k}) and its decision goes to the child.
/// </summary>
/// <param name="Reason">What the provider is told (e.g. "items that did not ship", "return return-shop-1-1").</param>
/// <param name="CaseStep">The step a RefundFailed case names (e.g. "refund-cancel", "refund").</param>
public sealed record RefundWorkflowInput(
    string OrderId,
    string PaymentReference,
    Money Amount,
    string Reason,
    string KeyInstanceId,
    string KeyStep,
    string CaseIdPrefix,
    string CaseIdPart,
    string CaseStep,
    OrderWorkflowSettings Settings)
{
    /// <summary>Separates a child workflow's id from its parent run's id.</summary>
    public const char Separator = ':';

    /// <summary>The idempotency key of a round: <c>{instance}:{step}</c> first, <c>{instance}:{step}-{round}</c> after.</summary>
    public static string KeyFor(string instanceId, string keyStep, int round) =>
        OrderIds.IdempotencyKey(instanceId, round == 1 ? keyStep : $"{keyStep}-{round.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>
    /// The child's instance id: the parent run's id (the order id, "{orderId}-r{n}" for a restarted run, or the return
    /// id), ":refund-" and the run's refund number. A ':' is never part of an order or return id, so the id is never a
    /// parent's, and a restarted run never reuses a child id of the run it replaces.
    /// </summary>
    public static string InstanceIdFor(string runId, int sequence) => $"{runId}{Separator}refund-{sequence.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>This input's key in <paramref name="round"/>.</summary>
    public string Key(int round) => KeyFor(this.KeyInstanceId, this.KeyStep, round);
}
