using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>In-memory <see cref="ICustomerNotifier"/>: sends once per notification key and records what was sent.</summary>
public sealed class FakeCustomerNotifier(ChangeFeed feed) : ICustomerNotifier
{
    private readonly Lock gate = new();
    private readonly HashSet<string> keys = new(StringComparer.Ordinal);
    private readonly List<CustomerNotification> sent = [];
    private int calls;

    /// <summary>The call fails this many times before the message goes out (the mail server refused it).</summary>
    public FaultPlan FailBeforeSend { get; } = new();

    /// <summary>The message goes out, then the call fails this many times.</summary>
    public FaultPlan FailAfterSend { get; } = new();

    public int Calls => Volatile.Read(ref this.calls);

    /// <summary>Messages the customer received, in order.</summary>
    public IReadOnlyList<CustomerNotification> Sent
    {
        get
        {
            lock (this.gate)
            {
                return [.. this.sent];
            }
        }
    }

    /// <summary>Forgets every message sent so far and its key (the bench's long runs; the bench never repeats a key).</summary>
    public void Clear()
    {
        lock (this.gate)
        {
            this.keys.Clear();
            this.sent.Clear();
        }
    }

    public IReadOnlyList<CustomerNotification> SentFor(string orderId) => [.. this.Sent.Where(n => n.OrderId == orderId)];

    public Task<bool> NotifyAsync(CustomerNotification notification, CancellationToken cancellationToken = default)
    {
        bool first;
        lock (this.gate)
        {
            this.calls++;
            if (this.FailBeforeSend.ShouldFail())
            {
                throw new TransientPortException($"Mail server refused {notification.Key}.");
            }

            first = this.keys.Add(notification.Key);
            if (first)
            {
                this.sent.Add(notification);
            }
        }

        feed.Publish();
        if (this.FailAfterSend.ShouldFail())
        {
            throw new TransientPortException($"Mail server dropped the connection after sending {notification.Key}.");
        }

        return Task.FromResult(first);
    }
}
