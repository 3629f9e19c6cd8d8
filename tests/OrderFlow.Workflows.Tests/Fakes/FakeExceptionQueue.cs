using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Tests.Fakes;

/// <summary>In-memory <see cref="IExceptionQueue"/>: one case per case id, in the order they were opened.</summary>
public sealed class FakeExceptionQueue(ChangeFeed feed) : IExceptionQueue
{
    private readonly Lock gate = new();
    private readonly List<OpenCaseRequest> cases = [];
    private readonly List<string> reminders = [];
    private readonly List<CaseTimeout> timeouts = [];

    /// <summary>Cases closed at their last deadline with the default applied.</summary>
    public IReadOnlyList<CaseTimeout> Timeouts
    {
        get
        {
            lock (this.gate)
            {
                return [.. this.timeouts];
            }
        }
    }

    /// <summary>Case ids reminded at their first deadline, in order (a retried reminder is recorded once).</summary>
    public IReadOnlyList<string> Reminders
    {
        get
        {
            lock (this.gate)
            {
                return [.. this.reminders];
            }
        }
    }

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

    public Task RemindAsync(string caseId, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            if (!this.reminders.Contains(caseId))
            {
                this.reminders.Add(caseId);
            }
        }

        feed.Publish();
        return Task.CompletedTask;
    }

    public Task RecordTimeoutAsync(CaseTimeout timeout, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            if (!this.timeouts.Exists(t => t.CaseId == timeout.CaseId))
            {
                this.timeouts.Add(timeout);
            }
        }

        feed.Publish();
        return Task.CompletedTask;
    }
}
