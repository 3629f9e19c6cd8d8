using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Options;
using OrderFlow.Domain.Returns;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Api.Returns;

/// <summary>
/// Returns over HTTP: an operator requests one (X-Operator-Key; the policy answers at once, 422 with its reasons), the
/// receiving location reports its arrival signed like the fulfillment callbacks (X-OrderFlow-Signature over the
/// timestamp, POST, this return's path and the body: <see cref="CallbackAuthenticator"/>; the key must be the reported
/// location's), and operators read its status. Each return is its own workflow, "return-{orderId}-{n}".
/// </summary>
public sealed partial class ReturnsHandler(
    IOrderStore orders,
    IReturnStore returns,
    IOptions<ReturnOptions> options,
    IOptions<WorkflowOptions> workflow,
    IOptions<OperationsOptions> operations,
    IOptions<IntakeOptions> intake,
    CallbackAuthenticator callbacks,
    TimeProvider clock,
    ILogger<ReturnsHandler> logger)
{
    /// <summary>Returns one order may have (bounded instance id search).</summary>
    public const int MaxReturnsPerOrder = 50;

    private const int MaxBodyBytes = 16 * 1024;

    public async Task<IResult> RequestAsync(string orderId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        var (body, problem) = await ReadAsync<ReturnRequestBody>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body?.Lines is not { Count: > 0 } lines || lines.Any(l => string.IsNullOrWhiteSpace(l?.Sku)) || string.IsNullOrWhiteSpace(body.Reason))
        {
            return Problems.BadRequest("Body must have \"lines\" ([{\"sku\":\"...\",\"quantity\":1}]) and a \"reason\".");
        }

        var order = await orders.GetAsync(orderId, cancellationToken);
        if (order is null)
        {
            return Problems.NotFound($"No order '{orderId}'.");
        }

        var rules = options.Value.ToRules();
        var existing = await returns.ListForOrderAsync(orderId, cancellationToken);
        var verdict = ReturnPolicy.Authorize(lines, ReturnFactsReader.Facts(order, existing, null), rules, clock.GetUtcNow());
        if (!verdict.Authorized)
        {
            return Results.Problem(
                "The return is not authorized: " + string.Join(" ", verdict.Reasons),
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Return refused",
                extensions: new Dictionary<string, object?> { ["reasons"] = verdict.Reasons });
        }

        for (var n = existing.Count + 1; n <= MaxReturnsPerOrder; n++)
        {
            var returnId = ReturnWorkflowInput.ReturnIdFor(orderId, n);
            if (await workflows.GetStatusAsync(returnId, cancellationToken) is not null)
            {
                continue;
            }

            var input = new ReturnWorkflowInput(
                returnId, orderId, lines, body.Reason.Trim(), body.RefundShipping ?? rules.RefundShipping, rules, options.Value.ReceiveDeadline, workflow.Value.ToSettings(),
                ReturnWorkflowVersions.Current);
            if (!await workflows.StartAsync(nameof(ReturnOrchestrator), returnId, input, cancellationToken))
            {
                continue;
            }

            LogRequested(orderId, returnId);
            return Results.Json(new ReturnAccepted(returnId, StatusUrl(returnId)), IntegrationJson.Options, statusCode: StatusCodes.Status202Accepted);
        }

        return Problems.Conflict($"Order '{orderId}' already has {MaxReturnsPerOrder} returns.");
    }

    public async Task<IResult> ReceivedAsync(string returnId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(workflows);
        var raw = await RequestBody.ReadAsync(request, intake.Value.MaxBodyBytes, cancellationToken);
        if (raw is null)
        {
            return Problems.BadRequest("Body too large.");
        }

        var (signer, unauthorized) = callbacks.Authenticate(request, CallbackAuthenticator.ReturnReceivedPath(returnId), raw);
        if (unauthorized is not null)
        {
            return unauthorized;
        }

        var (body, problem) = Parse<ReturnReceivedBody>(raw);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body?.Location) || body.Units is null || body.Units.Any(u => u is null || string.IsNullOrWhiteSpace(u.Sku)))
        {
            return Problems.BadRequest("Body must have \"location\" and \"units\" ([{\"sku\":\"...\",\"condition\":\"Resellable|Damaged|Missing\"}]).");
        }

        if (!callbacks.MayReportFor(signer!, body.Location))
        {
            return CallbackAuthenticator.NotTheirs(signer!, $"a receipt at '{body.Location.Trim()}'");
        }

        var record = await returns.GetAsync(returnId, cancellationToken);
        if (record is null)
        {
            return Problems.NotFound($"No return '{returnId}'.");
        }

        var status = await workflows.GetStatusAsync(returnId, cancellationToken);
        if (record.Status != ReturnStatus.Authorized || status is null || status.IsTerminal)
        {
            return Problems.Conflict($"Return '{returnId}' is {record.Status}; a receipt is only taken while it is Authorized and awaited.");
        }

        var requested = record.Lines.GroupBy(l => l.Sku, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity), StringComparer.Ordinal);
        var over = body.Units.GroupBy(u => u.Sku, StringComparer.Ordinal)
            .Where(g => g.Count() > requested.GetValueOrDefault(g.Key))
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {g.Count()} unit(s) reported, {requested.GetValueOrDefault(g.Key)} requested."))
            .ToList();
        if (over.Count > 0)
        {
            return Problems.Unprocessable(string.Join(" ", over));
        }

        await workflows.RaiseEventAsync(returnId, ReturnReceipt.EventName(returnId), new ReturnReceipt(body.Location.Trim(), body.Units, clock.GetUtcNow()), cancellationToken);
        LogReceived(record.OrderId, returnId, body.Units.Count);
        return Results.Accepted(StatusUrl(returnId));
    }

    public async Task<IResult> GetAsync(string returnId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        var record = await returns.GetAsync(returnId, cancellationToken);
        if (record is not null)
        {
            return Results.Json(record, IntegrationJson.Options);
        }

        // Started but not yet recorded by its first step.
        return await workflows.GetStatusAsync(returnId, cancellationToken) is null
            ? Problems.NotFound($"No return '{returnId}'.")
            : Results.Json(new ReturnAccepted(returnId, StatusUrl(returnId)), IntegrationJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    public static string StatusUrl(string returnId) => $"/{ApiRoutes.Prefix}/returns/{Uri.EscapeDataString(returnId)}";

    private static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        var raw = await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        return raw is null ? (null, RequestBody.TooLarge(MaxBodyBytes)) : Parse<T>(raw);
    }

    private static (T? Body, IResult? Problem) Parse<T>(byte[] raw)
        where T : class
    {
        try
        {
            return (JsonSerializer.Deserialize<T>(raw, IntegrationJson.Options), null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.BadRequest($"Body is not valid JSON: {ex.Message}"));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: return {ReturnId} requested")]
    private partial void LogRequested(string orderId, string returnId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: return {ReturnId} received ({Units} unit(s) reported)")]
    private partial void LogReceived(string orderId, string returnId, int units);
}
