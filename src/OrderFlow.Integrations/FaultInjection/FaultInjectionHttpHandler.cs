namespace OrderFlow.Integrations.FaultInjection;

/// <summary>
/// The innermost handler of an HTTP adapter's client: the target's 503 responses stand in for the provider's, below the
/// adapter's own retry pipeline, so the adapter handles them as it would a real outage.
/// </summary>
internal sealed class FaultInjectionHttpHandler(FaultInjector faults, string target) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        faults.SendAsync(target, ct => new ValueTask<HttpResponseMessage>(base.SendAsync(request, ct)), cancellationToken).AsTask();
}
