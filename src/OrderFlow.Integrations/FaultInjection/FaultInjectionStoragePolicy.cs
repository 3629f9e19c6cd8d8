using Azure.Core;
using Azure.Core.Pipeline;

namespace OrderFlow.Integrations.FaultInjection;

/// <summary>
/// An Azure SDK pipeline policy (per retry) for the Tables and Queues clients: a request may be delayed or fail before it
/// is sent, or have its answer lost after storage applied it; the SDK's retry policy sees an I/O fault and retries.
/// </summary>
internal sealed class FaultInjectionStoragePolicy(FaultInjector faults) : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        await faults.BeforeAsync(FaultInjectionOptions.Storage, message.CancellationToken).ConfigureAwait(false);
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        await faults.AfterAsync(FaultInjectionOptions.Storage, message.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>Synchronous calls (OrderFlow makes none) pass untouched.</summary>
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => ProcessNext(message, pipeline);
}
