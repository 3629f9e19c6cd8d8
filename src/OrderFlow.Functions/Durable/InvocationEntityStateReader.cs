using Microsoft.DurableTask.Client;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Functions.Durable;

/// <summary>
/// <see cref="IEntityStateReader"/> for an activity trigger (scoped to the invocation): the isolated worker hands a
/// <see cref="DurableTaskClient"/> to a function only as a <c>[DurableClient]</c> binding, never through DI, so the trigger
/// of an activity that reads entities sets <see cref="Client"/> before it resolves the activity.
/// </summary>
public sealed class InvocationEntityStateReader : IEntityStateReader
{
    /// <summary>The invocation's durable client, set by the trigger.</summary>
    public DurableTaskClient? Client { get; set; }

    public Task<T?> ReadAsync<T>(string entityName, string key, CancellationToken cancellationToken = default) =>
        new DurableTaskClientWorkflowClient(
            this.Client ?? throw new InvalidOperationException("No durable client for this invocation: the activity's trigger must bind [DurableClient] and set it before it runs the activity."))
            .GetEntityStateAsync<T>(entityName, key, cancellationToken);
}
