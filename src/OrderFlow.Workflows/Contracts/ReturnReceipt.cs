namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// The location's signed word that a return arrived (external event payload): where, and the condition of each unit.
/// Requested units the location does not list count as <see cref="OrderFlow.Domain.Returns.UnitCondition.Missing"/>.
/// </summary>
public sealed record ReturnReceipt(string Location, IReadOnlyList<ReturnedUnit> Units, DateTimeOffset? ReceivedAt = null)
{
    /// <summary>External event name the return workflow waits on.</summary>
    public static string EventName(string returnId) => $"ReturnReceived-{returnId}";
}
