using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Validation;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// One validation round of a recorded order: its items against the catalog, quantities, money and address, and, when
/// it is valid, the status change it carries (Validated, through <see cref="OrderStatusWriter"/>). The one piece of
/// code behind <see cref="ValidateOrderActivity"/> and, from <see cref="OrderWorkflowVersions.StepsCarriedTogether"/>,
/// the first round <see cref="RecordOrderActivity"/> carries (<see cref="RidesOnRecord"/>).
/// </summary>
public static class OrderValidationRound
{
    /// <summary>The note of the Validated status on the order's timeline.</summary>
    public const string ValidNote = "Items, quantities, totals and address are valid.";

    /// <summary>
    /// True when the run's first validation round rides on <see cref="RecordOrderActivity"/>: an order started under
    /// <see cref="OrderWorkflowVersions.StepsCarriedTogether"/> or later, in a run that is not a restart (a restart reads
    /// its recorded progress before it validates). Decided from the run's input alone, so the activity and the workflow
    /// (on every replay) agree, and an order started under an earlier revision never asks for it.
    /// </summary>
    public static bool RidesOnRecord(OrderWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Runs(OrderWorkflowVersions.StepsCarriedTogether) && input.Restart is null;
    }

    /// <summary>The Validated change the first round of a run that is not a restart carries.</summary>
    public static StatusChange Validated(string orderId) => new(orderId, OrderStatus.Validated, ValidNote);

    /// <summary>
    /// Validates the recorded order <paramref name="orderId"/> and, when it is valid, writes <paramref name="then"/> (nothing
    /// when null). A retried round writes the status once (the store treats a move to the current status as done).
    /// </summary>
    public static async Task<ValidationResult> RunAsync(IOrderStore orders, ICatalog catalog, TimeProvider clock, string orderId, StatusChange? then)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(catalog);
        var record = await orders.GetAsync(orderId) ?? throw new InvalidOperationException($"Order {orderId} is not recorded.");
        var sellable = await catalog.FindSellableAsync(record.Order.Lines.Select(l => l.Sku).Distinct());
        var result = OrderValidator.Validate(record.Order, sellable);
        if (result.IsValid)
        {
            await OrderStatusWriter.ApplyCarriedAsync(orders, clock, then);
        }

        return result;
    }
}
