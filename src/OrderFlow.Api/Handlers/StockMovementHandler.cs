using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// POST /api/inventory/{sku}/movements: a stock receipt, count correction or write-off as a delta at one location, with
/// its reason and reference, so a receipt posted while orders reserve never overwrites sales (a PUT sets counted
/// on-hand). Received units fill waiting backorders oldest first, like any increase. The Idempotency-Key header makes a
/// retried post apply once: it names the movement's engine instance, a repeat answers the first result, and the same
/// key with another body is 409. Operator route (X-Operator-Key).
/// </summary>
public sealed partial class StockMovementHandler(
    ICatalog catalog, IOptions<OperationsOptions> operations, ILogger<StockMovementHandler> logger, IOptions<InventoryOptions>? inventory = null)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>The reasons a movement may give, and the sign each requires (+1 only up, -1 only down, 0 either).</summary>
    public static IReadOnlyDictionary<string, int> Reasons { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [Domain.Inventory.StockReasons.Received] = 1,
        ["returned"] = 1,
        ["count-correction"] = 0,
        ["damaged"] = -1,
        ["lost"] = -1,
    };

    public const int MaxReferenceLength = 100;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public async Task<IResult> PostAsync(string sku, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(workflows);
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        var key = request.Headers[IdempotencyKeyHeader].ToString();
        if (key.Length is 0 or > MaxIdempotencyKeyLength)
        {
            return Problems.BadRequest($"{IdempotencyKeyHeader} header is required (1-{MaxIdempotencyKeyLength} characters): it makes a retried movement apply once.");
        }

        if (await InventoryHandler.FindAsync(catalog, sku, cancellationToken) is null)
        {
            return Problems.NotFound($"SKU '{sku}' is not in the catalog; stock it first with PUT /api/inventory/{{sku}}.");
        }

        StockMovement? movement;
        try
        {
            movement = await JsonSerializer.DeserializeAsync<StockMovement>(request.Body, new JsonSerializerOptions(JsonSerializerDefaults.Web), cancellationToken);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"Body is not valid JSON: {ex.Message}");
        }

        if (Problem(movement) is { } problem)
        {
            return Problems.Unprocessable(problem);
        }

        var reference = string.IsNullOrWhiteSpace(movement!.Reference) ? string.Empty : $" {movement.Reference.Trim()}";
        var adjustment = new StockAdjustment(
            sku,
            new Dictionary<string, int>(),
            "api",
            $"{movement.Reason}{reference}",
            new Dictionary<string, int> { [movement.Location!] = movement.Quantity },
            Shards: inventory?.Value.ShardsOf(sku) ?? 1);
        var instanceId = $"stock-move-{sku}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32]}";
        if (!await workflows.StartAsync(nameof(StockAdjustmentOrchestrator), instanceId, adjustment, cancellationToken))
        {
            // The key was used before: the same movement answers its result; another one under the key is refused.
            var earlier = await workflows.GetInputAsync<StockAdjustment>(instanceId, cancellationToken);
            if (earlier is null || !Same(earlier, adjustment))
            {
                return Problems.Conflict($"{IdempotencyKeyHeader} '{key}' was already used for another stock movement of {sku}; use a new key for a new movement.");
            }

            LogRepeated(sku, movement.Location!);
        }

        var status = await workflows.WaitForCompletionAsync(instanceId, Wait, cancellationToken);
        if (status is { RuntimeStatus: "Failed" })
        {
            return Problems.Conflict($"The movement was not applied: the SKU's stock refused it (a removal larger than the units on hand at {movement.Location}). Nothing changed; check GET /api/inventory/{sku}.");
        }

        if (status is not { RuntimeStatus: "Completed" })
        {
            return Problems.Unavailable($"Stock movement {instanceId} is still {status?.RuntimeStatus ?? "unknown"}; it will apply when the engine processes it (post it again with the same {IdempotencyKeyHeader} to read the result).");
        }

        LogApplied(sku, movement.Quantity, movement.Location!, movement.Reason!);
        return Results.Ok(WorkflowJson.Read<StockView>(status.Output));
    }

    private static string? Problem(StockMovement? movement)
    {
        if (movement is null || string.IsNullOrWhiteSpace(movement.Location))
        {
            return "Body must name a \"location\", a \"quantity\" (units added, or negative for removed) and a \"reason\", e.g. {\"location\":\"WH-EAST\",\"quantity\":12,\"reason\":\"received\",\"reference\":\"PO-1042\"}.";
        }

        if (movement.Location.Length > InventoryHandler.MaxLocationLength || movement.Location.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?'))
        {
            return $"location must be 1-{InventoryHandler.MaxLocationLength} characters without / \\ # ? or control characters.";
        }

        if (movement.Quantity == 0 || Math.Abs((long)movement.Quantity) > InventoryHandler.MaxUnitsPerSku)
        {
            return $"quantity must be a non-zero number of units, at most {InventoryHandler.MaxUnitsPerSku} either way.";
        }

        if (movement.Reason is null || !Reasons.TryGetValue(movement.Reason, out var sign))
        {
            return $"reason must be one of {string.Join(", ", Reasons.Keys)}.";
        }

        if (sign != 0 && Math.Sign(movement.Quantity) != sign)
        {
            return $"A '{movement.Reason}' movement {(sign > 0 ? "adds units: quantity must be positive" : "removes units: quantity must be negative")}.";
        }

        return movement.Reference is { Length: > MaxReferenceLength } ? $"reference must be at most {MaxReferenceLength} characters." : null;
    }

    private static bool Same(StockAdjustment a, StockAdjustment b) =>
        a.Sku == b.Sku && a.Reason == b.Reason
        && (a.DeltaByLocation ?? new Dictionary<string, int>()).OrderBy(p => p.Key, StringComparer.Ordinal)
            .SequenceEqual((b.DeltaByLocation ?? new Dictionary<string, int>()).OrderBy(p => p.Key, StringComparer.Ordinal));

    [LoggerMessage(Level = LogLevel.Information, Message = "Stock of {Sku}: {Quantity} unit(s) at {Location} ({Reason})")]
    private partial void LogApplied(string sku, int quantity, string location, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stock of {Sku}: movement at {Location} posted again under its idempotency key; answered once")]
    private partial void LogRepeated(string sku, string location);
}
