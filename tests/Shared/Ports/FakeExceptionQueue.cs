using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>
/// In-memory <see cref="IExceptionQueue"/>: one case per case id, in the order they were opened; approver alerts and
/// reminders can be made to fail (<see cref="AlertsDown"/>, <see cref="RemindersDown"/>), as when the mail server is down.
/// </summary>
public sealed class FakeExceptionQueue(ChangeFeed feed) : IExceptionQueue
{
    private readonly Lock gate = new();
    private readonly List<OpenCaseRequest> cases = [];
    private readonly List<string> alerted = [];
    private readonly List<string> reminders = [];
    private readonly List<CaseTimeout> timeouts = [];
    private readonly Dictionary<string, string> alertErrors = new(StringComparer.Ordinal);
    private volatile bool alertsDown;
    private volatile bool remindersDown;

    /// <summary>While true every approver alert throws (SMTP down); the case is still written.</summary>
    public bool AlertsDown
    {
        get => this.alertsDown;
        set => this.alertsDown = value;
    }

    /// <summary>While true every escalation reminder throws.</summary>
    public bool RemindersDown
    {
        get => this.remindersDown;
        set => this.remindersDown = value;
    }

    /// <summary>Case ids whose approvers were alerted, in order (an alert is sent once per case).</summary>
    public IReadOnlyList<string> Alerted
    {
        get
        {
            lock (this.gate)
            {
                return [.. this.alerted];
            }
        }
    }

    /// <summary>The alert failure recorded on the case, or null (none, or cleared by a later alert or reminder).</summary>
    public string? AlertErrorOf(string caseId)
    {
        lock (this.gate)
        {
            return this.alertErrors.GetValueOrDefault(caseId);
        }
    }

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

    public Task AlertAsync(string caseId, CancellationToken cancellationToken = default)
    {
        if (this.alertsDown)
        {
            throw new TransientPortException($"SMTP connection refused while alerting approvers of case {caseId} (ops@example.test).");
        }

        lock (this.gate)
        {
            if (!this.cases.Exists(c => c.CaseId == caseId))
            {
                throw new InvalidOperationException($"Case {caseId} was alerted before it was written.");
            }

            if (!this.alerted.Contains(caseId))
            {
                this.alerted.Add(caseId);
            }

            this.alertErrors.Remove(caseId);
        }

        feed.Publish();
        return Task.CompletedTask;
    }

    public Task RecordAlertFailureAsync(string caseId, string error, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            this.alertErrors[caseId] = error;
        }

        feed.Publish();
        return Task.CompletedTask;
    }

    public Task RemindAsync(string caseId, CancellationToken cancellationToken = default)
    {
        if (this.remindersDown)
        {
            throw new TransientPortException($"SMTP connection refused while reminding about case {caseId}.");
        }

        lock (this.gate)
        {
            if (!this.reminders.Contains(caseId))
            {
                this.reminders.Add(caseId);
            }

            this.alertErrors.Remove(caseId);
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
