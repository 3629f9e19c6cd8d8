using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Tests.Fakes;

/// <summary>In-memory <see cref="IExceptionQueue"/>: one case per case id, in the order they were opened.</summary>
public sealed class FakeExceptionQueue(ChangeFeed feed) : IExceptionQueue
{
    private readonly Lock gate = new();
    private readonly List<OpenCaseRequest> cases = [];

    public IReadOnlyList<OpenCaseRequest> Cases
    {
        get
        {
            lock (this.gate)
            {
                return [.. this.cases];
            }
        }
    }

    public IReadOnlyList<OpenCaseRequest> CasesFor(string orderId) => [.. this.Cases.Where(c => c.OrderId == orderId)];

    public Task OpenAsync(OpenCaseRequest request, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            if (!this.cases.Exists(c => c.CaseId == request.CaseId))
            {
                this.cases.Add(request);
            }
        }

        feed.Publish();
        return Task.CompletedTask;
    }
}
