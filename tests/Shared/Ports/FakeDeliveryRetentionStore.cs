using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>
/// In-memory <see cref="IDeliveryRetentionStore"/>: records every cutoff it is asked to purge before (<see cref="Cutoffs"/>;
/// the first also completes <see cref="Purged"/>), purges nothing, and fails the next call when <see cref="FailNext"/>.
/// </summary>
public sealed class FakeDeliveryRetentionStore : IDeliveryRetentionStore
{
    private readonly Lock gate = new();

    /// <summary>Every cutoff asked for, in order.</summary>
    public List<DateTimeOffset> Cutoffs { get; } = [];

    /// <summary>Completes with the first cutoff asked for (a background service's first pass).</summary>
    public TaskCompletionSource<DateTimeOffset> Purged { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, the next call throws (storage away) and clears it.</summary>
    public bool FailNext { get; set; }

    public Task<DeliveryPurgeResult> PurgePayloadsAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("storage away");
            }

            Cutoffs.Add(receivedBefore);
        }

        Purged.TrySetResult(receivedBefore);
        return Task.FromResult(new DeliveryPurgeResult(0, 0));
    }
}
