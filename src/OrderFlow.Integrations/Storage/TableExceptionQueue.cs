using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Integrations.Storage;

/// <summary>
/// Exception cases in Azure Tables (partition "case", row key = case id). Opening writes the case; alerting is a
/// separate step: a retried open of the same case id does not overwrite it, and a case is alerted again only if its
/// alert never went out. A failed alert is recorded on the row (AlertError) and cleared by the next alert or reminder
/// that goes out.
/// </summary>
public sealed partial class TableExceptionQueue(
    OrderFlowTables tables,
    IApproverAlert alert,
    TimeProvider clock,
    ILogger<TableExceptionQueue> logger) : IExceptionQueue, ICaseReader, ICaseDecisionStore
{
    internal const string Partition = "case";
    private const int MaxErrorChars = 30_000;
    private const int MaxCommentChars = 4_000;
    private const string AddressColumn = "DecisionAddressJson";
    private const int MaxAlertErrorChars = 1_000;
    private const string ClaimColumn = "AlertClaimedUntil";

    /// <summary>How long one sender holds a case's alert before another may try (longer than an SMTP send with its timeout).</summary>
    public static readonly TimeSpan AlertClaim = TimeSpan.FromMinutes(2);

    public async Task OpenAsync(OpenCaseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.CaseId);
        var table = await tables.GetAsync(TableNames.Cases, cancellationToken);
        var entity = new TableEntity(Partition, TableKeys.Encode(request.CaseId))
        {
            ["CaseId"] = request.CaseId,
            ["OrderId"] = request.OrderId,
            ["Reason"] = request.Reason.ToString(),
            ["Step"] = request.Step,
            ["Error"] = request.Error.Length > MaxErrorChars ? request.Error[..MaxErrorChars] : request.Error,
            ["AllowedResolutions"] = string.Join(",", request.AllowedResolutions),
            ["Deadline"] = request.Deadline,
            ["Status"] = CaseStatuses.Open,
            ["OpenedAt"] = clock.GetUtcNow(),
        };
        if (request.WorkflowId is not null)
        {
            entity["WorkflowId"] = request.WorkflowId;
        }

        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            LogOpened(request.OrderId, request.CaseId, request.Reason);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            LogAlreadyOpen(request.OrderId, request.CaseId);
        }
    }

    public async Task AlertAsync(string caseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        var table = await tables.GetAsync(TableNames.Cases, cancellationToken);
        var row = TableKeys.Encode(caseId);
        var entity = (await table.GetEntityAsync<TableEntity>(Partition, row, cancellationToken: cancellationToken)).Value;
        var orderId = entity.GetString("OrderId") ?? string.Empty;
        if (entity.GetDateTimeOffset("AlertedAt") is not null)
        {
            LogAlreadyAlerted(orderId, caseId);
            return;
        }

        // The opening activity and the sweeper may alert the same case at once: a claim (ETag-checked, expiring)
        // lets one of them send. A sender that dies keeps the claim only until it expires.
        var now = clock.GetUtcNow();
        if (entity.GetDateTimeOffset(ClaimColumn) is { } claimedUntil && claimedUntil > now)
        {
            LogAlertInProgress(orderId, caseId);
            return;
        }

        try
        {
            await table.UpdateEntityAsync(new TableEntity(Partition, row) { [ClaimColumn] = now + AlertClaim }, entity.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPreconditionFailed(ex))
        {
            LogAlertInProgress(orderId, caseId);
            return;
        }

        try
        {
            await alert.AlertAsync(ToCase(entity), cancellationToken);
        }
        catch
        {
            // Release the claim so the next attempt (a retry, the sweeper) may send at once; if even that fails, it expires.
            try
            {
                await table.UpdateEntityAsync(new TableEntity(Partition, row) { [ClaimColumn] = clock.GetUtcNow() }, ETag.All, TableUpdateMode.Merge, CancellationToken.None);
            }
            catch (RequestFailedException)
            {
            }

            throw;
        }

        await table.UpdateEntityAsync(
            new TableEntity(Partition, row) { ["AlertedAt"] = clock.GetUtcNow(), ["AlertError"] = string.Empty }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task RecordAlertFailureAsync(string caseId, string error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        var table = await tables.GetAsync(TableNames.Cases, cancellationToken);
        var update = new TableEntity(Partition, TableKeys.Encode(caseId))
        {
            ["AlertError"] = error.Length > MaxAlertErrorChars ? error[..MaxAlertErrorChars] : error,
            ["AlertFailedAt"] = clock.GetUtcNow(),
        };
        await table.UpdateEntityAsync(update, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<ExceptionCase?> GetAsync(string caseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        var table = await tables.GetAsync(TableNames.Cases, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Encode(caseId), cancellationToken: cancellationToken);
        return response.HasValue && response.Value is not null ? ToCase(response.Value) : null;
    }

    public async Task<IReadOnlyList<ExceptionCase>> ListOpenAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Cases, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Status eq {CaseStatuses.Open}");
        var cases = new List<ExceptionCase>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            cases.Add(ToCase(entity));
        }

        return cases.OrderBy(c => c.OpenedAt).ThenBy(c => c.CaseId, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<ExceptionCase>> ListUnalertedAsync(DateTimeOffset openedBefore, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Cases, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Status eq {CaseStatuses.Open} and OpenedAt lt {openedBefore}");
        var cases = new List<ExceptionCase>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var c = ToCase(entity);
            if (c.AlertedAt is null && c.RemindedAt is null)
            {
                cases.Add(c);
            }
        }

        return cases.OrderBy(c => c.AlertFailedAt ?? c.OpenedAt).ThenBy(c => c.CaseId, StringComparer.Ordinal).ToList();
    }

    public async Task RemindAsync(string caseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        var table = await tables.GetAsync(TableNames.Cases, cancellationToken);
        var row = TableKeys.Encode(caseId);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, row, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is null)
        {
            LogReminderSkipped(caseId, "unknown case");
            return;
        }

        var exceptionCase = ToCase(response.Value);

        // A retried activity must not remind twice, and a decided case needs no reminder.
        if (!exceptionCase.IsOpen || exceptionCase.RemindedAt is not null)
        {
            LogReminderSkipped(caseId, exceptionCase.IsOpen ? "already reminded" : exceptionCase.Status);
            return;
        }

        await alert.RemindAsync(exceptionCase, cancellationToken);

        // A reminder that went out reached people: an earlier alert failure no longer describes the case.
        await table.UpdateEntityAsync(
            new TableEntity(Partition, row) { ["RemindedAt"] = clock.GetUtcNow(), ["AlertError"] = string.Empty }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task RecordTimeoutAsync(CaseTimeout timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeout);

        // False means a person's decision was recorded first (its event arrived too late): that record stays.
        await TryRecordDecisionAsync(timeout.CaseId, timeout.DefaultApplied, "deadline", "Default policy applied at the deadline.", CaseStatuses.TimedOut, cancellationToken);
    }

    public async Task<bool> TryRecordDecisionAsync(
        string caseId, CaseResolution resolution, string decidedBy, string? comment, string status, CancellationToken cancellationToken = default,
        Address? correctedAddress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        var table = await tables.GetAsync(TableNames.Cases, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Encode(caseId), cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is null)
        {
            return false;
        }

        // The deadline also overrides a decision that never reached the workflow: the workflow applied its default.
        var current = response.Value.GetString("Status");
        if (current != CaseStatuses.Open && !(current == CaseStatuses.Decided && status == CaseStatuses.TimedOut))
        {
            return false;
        }

        var update = new TableEntity(Partition, response.Value.RowKey)
        {
            ["Status"] = status,
            ["Resolution"] = resolution.ToString(),
            ["DecidedBy"] = decidedBy,
            ["DecidedAt"] = clock.GetUtcNow(),
        };
        if (!string.IsNullOrEmpty(comment))
        {
            update["Comment"] = comment.Length > MaxCommentChars ? comment[..MaxCommentChars] : comment;
        }

        // Kept only until the decision is delivered (the event carries it); cleared when the case is completed.
        update[AddressColumn] = correctedAddress is null ? string.Empty : JsonSerializer.Serialize(correctedAddress, IntegrationJson.Options);

        try
        {
            // The ETag makes the status check and the write one step: of two concurrent decisions, one wins.
            await table.UpdateEntityAsync(update, response.Value.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPreconditionFailed(ex))
        {
            return false;
        }

        LogDecided(response.Value.GetString("OrderId") ?? string.Empty, caseId, resolution, decidedBy);
        return true;
    }

    public async Task<bool> TryCompleteDecisionAsync(string caseId, string status, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        var table = await tables.GetAsync(TableNames.Cases, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Encode(caseId), cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is null || response.Value.GetString("Status") != CaseStatuses.Decided)
        {
            return false;
        }

        try
        {
            var update = new TableEntity(Partition, response.Value.RowKey) { ["Status"] = status, [AddressColumn] = string.Empty };
            await table.UpdateEntityAsync(update, response.Value.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPreconditionFailed(ex))
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<ExceptionCase>> ListDecidedAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Cases, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Status eq {CaseStatuses.Decided}");
        var cases = new List<ExceptionCase>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            cases.Add(ToCase(entity));
        }

        return cases.OrderBy(c => c.DecidedAt).ThenBy(c => c.CaseId, StringComparer.Ordinal).ToList();
    }

    public async Task SetStatusAsync(string caseId, string status, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        var table = await tables.GetAsync(TableNames.Cases, cancellationToken);
        await table.UpdateEntityAsync(new TableEntity(Partition, TableKeys.Encode(caseId)) { ["Status"] = status }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    private static ExceptionCase ToCase(TableEntity e) => new(
        e.GetString("CaseId") ?? TableKeys.Decode(e.RowKey),
        e.GetString("OrderId") ?? string.Empty,
        Enum.TryParse<ExceptionReason>(e.GetString("Reason"), out var reason) ? reason : ExceptionReason.UnhandledStepFailure,
        e.GetString("Step") ?? string.Empty,
        e.GetString("Error") ?? string.Empty,
        (e.GetString("AllowedResolutions") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => Enum.Parse<CaseResolution>(r))
            .ToList(),
        e.GetDateTimeOffset("Deadline") ?? DateTimeOffset.MinValue,
        e.GetString("Status") ?? CaseStatuses.Open,
        e.GetDateTimeOffset("OpenedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("AlertedAt"),
        Enum.TryParse<CaseResolution>(e.GetString("Resolution"), out var resolution) ? resolution : null,
        e.GetString("DecidedBy"),
        e.GetDateTimeOffset("DecidedAt"),
        e.GetString("Comment"),
        e.GetDateTimeOffset("RemindedAt"),
        e.GetString("WorkflowId"),
        e.GetString(AddressColumn) is { Length: > 0 } address ? JsonSerializer.Deserialize<Address>(address, IntegrationJson.Options) : null,
        e.GetString("AlertError") is { Length: > 0 } alertError ? alertError : null,
        e.GetDateTimeOffset("AlertFailedAt"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: case {CaseId} opened ({Reason})")]
    private partial void LogOpened(string orderId, string caseId, ExceptionReason reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: case {CaseId} decided as {Resolution} by {DecidedBy}")]
    private partial void LogDecided(string orderId, string caseId, CaseResolution resolution, string decidedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId}: no reminder sent ({Why})")]
    private partial void LogReminderSkipped(string caseId, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: case {CaseId} is already open")]
    private partial void LogAlreadyOpen(string orderId, string caseId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: case {CaseId} is being alerted by another step")]
    private partial void LogAlertInProgress(string orderId, string caseId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: case {CaseId} is already alerted")]
    private partial void LogAlreadyAlerted(string orderId, string caseId);
}
