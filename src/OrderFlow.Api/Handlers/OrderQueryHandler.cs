using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// GET /api/orders/{orderId}: status, lines, fulfillments, timeline (with case errors) and the workflow's runtime status,
/// for operators only (X-Operator-Key): order ids can be guessed. Customers get the signed status page instead
/// (<see cref="OrderStatusPageHandler"/>).
/// </summary>
public sealed class OrderQueryHandler(IOrderStore orders, IOptions<OperationsOptions> operations)
{
    public async Task<IResult> GetAsync(string orderId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        var record = await orders.GetAsync(orderId, cancellationToken);
        var status = await workflows.GetStatusAsync(orderId, cancellationToken);
        var workflow = status is null ? null : new WorkflowView(status.RuntimeStatus, status.CustomStatus?.Trim('"'));

        if (record is null)
        {
            // Accepted but not yet recorded by the workflow's first step.
            return status is null
                ? Problems.NotFound($"No order '{orderId}'.")
                : Results.Ok(new OrderView(orderId, null, "Pending", null, null, [], [], [], workflow));
        }

        var o = record.Order;
        return Results.Ok(new OrderView(
            o.OrderId,
            o.OrderNumber,
            record.Status.ToString(),
            o.Currency,
            MoneyView.From(o.Totals.Total),
            o.Lines.Select(l => new OrderLineView(l.LineId, l.Sku, l.Title, l.Quantity, MoneyView.From(l.UnitPrice))).ToList(),
            record.Fulfillments.Select(f => new FulfillmentView(f.FulfillmentId, f.Location, f.Status, f.Lines, f.Carrier, f.TrackingNumber, f.TrackingUrl, f.HoldReason)).ToList(),
            record.Timeline.Select(t => new TimelineView(t.At, t.Kind, t.Message)).ToList(),
            workflow));
    }
}
