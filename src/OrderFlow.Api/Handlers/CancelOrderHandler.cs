using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// POST /api/orders/{orderId}/cancel (X-Operator-Key): checks the lines against the order and the reason code, then
/// raises <see cref="CancelOrderRequest"/> to the order's running workflow (202) or refuses once it finished (409).
/// An Idempotency-Key header makes the request id deterministic, so a retried POST raises the same request id.
/// </summary>
public sealed partial class CancelOrderHandler(
    IOrderStore orders,
    OrderCancellation cancellation,
    IOptions<OperationsOptions> operations,
    ILogger<CancelOrderHandler> logger)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string RequestedBy = "operator";
    private const int MaxIdempotencyKeyLength = 255;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IResult> PostAsync(string orderId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        var idempotencyKey = request.Headers[IdempotencyKeyHeader].ToString();
        if (idempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            return Problems.BadRequest($"{IdempotencyKeyHeader} must be at most {MaxIdempotencyKeyLength} characters.");
        }

        CancelOrderBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<CancelOrderBody>(request.Body, Json, cancellationToken);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"Body is not valid JSON: {ex.Message}");
        }

        if (body is null)
        {
            return Problems.BadRequest("Body must be a JSON object, e.g. {\"reason\":\"customer-request\"}.");
        }

        if (!CancelReasons.IsKnown(body.Reason))
        {
            return Problems.Unprocessable($"reason must be one of {string.Join(", ", CancelReasons.All)} (got '{body.Reason}').");
        }

        var record = await orders.GetAsync(orderId, cancellationToken);
        if (record is null)
        {
            return Problems.NotFound($"Order '{orderId}' does not exist.");
        }

        var lines = body.Lines is { Count: > 0 } some ? some : null;
        if (lines is not null && LineProblems(lines, record.Order.DemandBySku()) is { Count: > 0 } problems)
        {
            return Problems.Unprocessable(string.Join(" ", problems));
        }

        var requestId = string.IsNullOrWhiteSpace(idempotencyKey)
            ? $"cancel-{Guid.NewGuid():N}"
            : OrderCancellation.RequestIdFor($"{RequestedBy}:{orderId}", idempotencyKey);
        var cancel = new CancelOrderRequest(requestId, lines, body.Restock ?? true, body.Refund ?? true, body.NotifyCustomer ?? true, body.Reason!, RequestedBy);
        var submitted = await cancellation.SubmitAsync(orderId, cancel, workflows, cancellationToken);
        switch (submitted.Outcome)
        {
            case CancellationSubmission.Raised:
                var statusUrl = ApiRoutes.OrderUrl(orderId);
                return Results.Accepted(statusUrl, new CancelOrderResponse(requestId, orderId, statusUrl));
            case CancellationSubmission.TooLate:
                return Problems.Conflict(OrderCancellation.TooLateDetail(orderId, submitted.FinishedAs!));
            default:
                LogNoWorkflow(orderId);
                return Problems.Conflict($"Order '{orderId}' has no workflow to cancel (it was never started); nothing was changed.");
        }
    }

    /// <summary>Every problem with the requested lines: unknown SKUs, non-positive quantities, more than ordered.</summary>
    private static List<string> LineProblems(IReadOnlyList<CancelLine> lines, IReadOnlyDictionary<string, int> ordered)
    {
        var problems = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line is null || string.IsNullOrWhiteSpace(line.Sku))
            {
                problems.Add($"lines[{i}].sku is required.");
            }
            else if (!ordered.ContainsKey(line.Sku))
            {
                problems.Add($"lines[{i}].sku '{line.Sku}' is not on this order.");
            }
            else if (line.Quantity <= 0)
            {
                problems.Add($"lines[{i}].quantity must be at least 1 (got {line.Quantity}).");
            }
        }

        foreach (var group in lines.Where(l => l is not null && l.Quantity > 0 && l.Sku is not null && ordered.ContainsKey(l.Sku)).GroupBy(l => l.Sku, StringComparer.Ordinal))
        {
            var requested = group.Sum(l => l.Quantity);
            if (requested > ordered[group.Key])
            {
                problems.Add($"{group.Key}: {requested} requested, but the order has {ordered[group.Key]}.");
            }
        }

        return problems;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: cancellation requested but the order has no workflow")]
    private partial void LogNoWorkflow(string orderId);
}
