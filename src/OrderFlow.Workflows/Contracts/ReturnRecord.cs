using OrderFlow.Domain.Common;
using OrderFlow.Domain.Returns;

namespace OrderFlow.Workflows.Contracts;

/// <summary>A return as stored (what GET /api/returns/{returnId} shows): request, status, receipt and refund.</summary>
public sealed record ReturnRecord(
    string ReturnId,
    string OrderId,
    IReadOnlyList<ReturnLine> Lines,
    string Reason,
    bool RefundShipping,
    ReturnStatus Status,
    string Note,
    DateTimeOffset RequestedAt,
    DateTimeOffset UpdatedAt,
    string? Location = null,
    IReadOnlyList<ReturnedUnit>? Units = null,
    RefundQuote? Refund = null,
    string? RefundReference = null)
{
    /// <summary>Whether this return still claims its units (refused and cancelled returns give them back to the window).</summary>
    public bool Counts => Status is not (ReturnStatus.Refused or ReturnStatus.Cancelled);

    /// <summary>Whether this return refunded the order's shipping charge.</summary>
    public bool RefundedShipping => Status == ReturnStatus.Refunded && Refund is { Shipping.MinorUnits: > 0 };

    /// <summary>This return moved on by <paramref name="update"/> at <paramref name="at"/>: what the update learned replaces what it knew.</summary>
    public ReturnRecord With(ReturnUpdate update, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(update);
        return this with
        {
            Status = update.Status,
            Note = update.Note,
            UpdatedAt = at,
            Location = update.Receipt?.Location ?? this.Location,
            Units = update.Receipt?.Units ?? this.Units,
            Refund = update.Refund ?? this.Refund,
            RefundReference = update.RefundReference ?? this.RefundReference,
        };
    }
}
