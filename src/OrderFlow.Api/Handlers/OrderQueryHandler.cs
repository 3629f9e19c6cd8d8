using Microsoft.AspNetCore.Http;
using OrderFlow.Api.Models;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// GET /api/orders/{orderId}: status, lines, fulfillments and timeline, without customer PII. Open on purpose: customer
/// emails link to it (Store:OrderStatusBaseUrl) until a signed customer status page exists.
/// </summary>
public sealed class OrderQueryHandler(IOrderStore orders)
{
    public async Task<IResult> GetAsync(string orderId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        _ = request;
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
