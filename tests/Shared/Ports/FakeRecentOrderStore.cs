using System.Collections.Concurrent;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Fraud;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>In-memory recent-orders store with the table store's counting rules (own order excluded, window by time).</summary>
public sealed class FakeRecentOrderStore : IRecentOrderStore
{
    private readonly ConcurrentDictionary<(string Key, string Kind, string OrderId), (DateTimeOffset At, Money? Total)> rows = new();

    /// <summary>The next reads fail (the table is down) this many times.</summary>
    public FaultPlan FailReads { get; } = new();

    public Task<FraudHistory> ReadAsync(FraudKeys keys, string orderId, string currency, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        if (this.FailReads.ShouldFail())
        {
            throw new TransientPortException("The recent-orders table did not answer.");
        }

        var all = rows.ToArray();
        IEnumerable<KeyValuePair<(string Key, string Kind, string OrderId), (DateTimeOffset At, Money? Total)>> Orders(string? key) =>
            all.Where(r => key is not null && r.Key.Key == key && r.Key.Kind == "order" && r.Key.OrderId != orderId);
        var prior = Orders("email|" + keys.Email).ToList();
        var same = prior.Where(r => r.Value.Total?.Currency == currency).ToList();
        var failed = all.Where(r => r.Key.Kind == "failed" && r.Value.At >= since && (r.Key.Key == "email|" + keys.Email || r.Key.Key == "ip|" + keys.Ip))
            .Select(r => r.Key.OrderId).Distinct().Count();
        return Task.FromResult(new FraudHistory(
            prior.Count,
            same.Count == 0 ? 0 : same.Sum(r => r.Value.Total!.Value.MinorUnits) / same.Count,
            prior.Count(r => r.Value.At >= since),
            Orders(keys.Ip is null ? null : "ip|" + keys.Ip).Count(r => r.Value.At >= since),
            Orders("address|" + keys.Address).Count(r => r.Value.At >= since),
            failed));
    }

    public Task RecordOrderAsync(FraudKeys keys, string orderId, Money total, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        rows[("email|" + keys.Email, "order", orderId)] = (at, total);
        if (keys.Ip is not null)
        {
            rows[("ip|" + keys.Ip, "order", orderId)] = (at, total);
        }

        rows[("address|" + keys.Address, "order", orderId)] = (at, total);
        return Task.CompletedTask;
    }

    public Task RecordFailedPaymentAsync(FraudKeys keys, string orderId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        rows[("email|" + keys.Email, "failed", orderId)] = (at, null);
        if (keys.Ip is not null)
        {
            rows[("ip|" + keys.Ip, "failed", orderId)] = (at, null);
        }

        return Task.CompletedTask;
    }
}
