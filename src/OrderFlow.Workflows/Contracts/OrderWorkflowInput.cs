using System.Text.Json.Serialization;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Starts one order workflow. Carries ids, not customer data: activities load PII from the store when they need it.
/// <see cref="Version"/> is the revision of the workflow's behaviour the order started under; it is part of the
/// recorded input, so an order keeps that behaviour on replay after a deployment (see <see cref="OrderWorkflowVersions"/>).
/// Inputs recorded before versioning carry none (and an unversioned input is written without it, byte for byte as
/// before) and read as <see cref="OrderWorkflowVersions.Original"/>. <see cref="Restart"/> is set only on a run that
/// replaces a failed or terminated one (written only then).
/// </summary>
public sealed record OrderWorkflowInput(
    string OrderId,
    string Source,
    string DeliveryId,
    OrderWorkflowSettings Settings,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Version = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WorkflowRestart? Restart = null)
{
    /// <summary>The revision this order runs: <see cref="Version"/>, or <see cref="OrderWorkflowVersions.Original"/> when none was recorded.</summary>
    [JsonIgnore]
    public int Revision => this.Version ?? OrderWorkflowVersions.Original;

    /// <summary>
    /// The id this run's cases and child workflows are numbered under: the order id, or "{orderId}-r{n}" for restart n
    /// (a restart's ids are taken by the runs before it). Before <see cref="OrderWorkflowVersions.Restartable"/> there is no restart.
    /// </summary>
    [JsonIgnore]
    public string RunId => this.Restart is { } restart && this.Revision >= OrderWorkflowVersions.Restartable
        ? $"{this.OrderId}-r{restart.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
        : this.OrderId;
}
