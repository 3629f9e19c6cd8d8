using System.Collections.Concurrent;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>
/// In-memory <see cref="IPaymentGateway"/>. Each order's payment is scripted (default: paid in full, normal risk);
/// captures are idempotent per idempotency key, like the provider's.
/// </summary>
public sealed class FakePaymentGateway(ChangeFeed feed) : IPaymentGateway
{
    private readonly ConcurrentDictionary<string, (PaymentState State, string? Risk, string? Failure, bool? Multicapture)> scripts = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly Dictionary<string, CaptureResult> capturesByKey = new(StringComparer.Ordinal);
    private readonly List<CapturePaymentRequest> captures = [];
    private int verifyCalls;
    private volatile bool declineCaptures;
    private volatile bool declineRefunds;
    private readonly List<RefundPaymentRequest> refunds = [];
    private readonly List<RefundPaymentRequest> refundAttempts = [];
    private readonly Dictionary<string, RefundResult> refundsByKey = new(StringComparer.Ordinal);

    /// <summary>What the provider will say about the order's payment (and whether its authorization supports multicapture).</summary>
    public void Script(string orderId, PaymentState state, string? riskLevel = "normal", string? failureReason = null, bool? multicapture = null) =>
        this.scripts[orderId] = (state, riskLevel, failureReason, multicapture);

    /// <summary>From now on the provider refuses every capture (e.g. the authorization expired).</summary>
    public void DeclineCaptures() => this.declineCaptures = true;

    public int VerifyCalls => Volatile.Read(ref this.verifyCalls);

    /// <summary>Captures the provider accepted (one per idempotency key), in arrival order.</summary>
    public IReadOnlyList<CapturePaymentRequest> Captures
    {
        get
        {
            lock (this.gate)
            {
                return [.. this.captures];
            }
        }
    }

    public Task<PaymentVerification> VerifyAsync(VerifyPaymentRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref this.verifyCalls);
        var (state, risk, failure, multicapture) = this.scripts.GetValueOrDefault(request.OrderId, (PaymentState.Succeeded, "normal", null, null));
        feed.Publish();
        return Task.FromResult(new PaymentVerification(state, request.Expected, risk, failure, multicapture));
    }

    public Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default)
    {
        if (this.declineCaptures)
        {
            feed.Publish();
            return Task.FromResult(new CaptureResult(false, request.Amount, null, "authorization_expired"));
        }

        CaptureResult? result;
        lock (this.gate)
        {
            if (!this.capturesByKey.TryGetValue(request.IdempotencyKey, out result))
            {
                this.captures.Add(request);
                result = new CaptureResult(true, request.Amount, $"ch_{this.captures.Count}", null);
                this.capturesByKey[request.IdempotencyKey] = result;
            }
        }

        feed.Publish();
        return Task.FromResult(result);
    }

    /// <summary>From now on the provider refuses every refund (e.g. the charge is disputed).</summary>
    public void DeclineRefunds() => this.declineRefunds = true;

    /// <summary>The next refund calls throw (provider down or timing out), after being counted as attempts.</summary>
    public FaultPlan RefundOutage { get; } = new();

    /// <summary>From now on the provider accepts refunds again (the cause was cleared).</summary>
    public void AcceptRefunds() => this.declineRefunds = false;

    /// <summary>Every refund request the provider saw, refused or not, in arrival order.</summary>
    public IReadOnlyList<RefundPaymentRequest> RefundAttempts
    {
        get
        {
            lock (this.gate)
            {
                return [.. this.refundAttempts];
            }
        }
    }

    /// <summary>Refunds the provider accepted (one per idempotency key), in arrival order.</summary>
    public IReadOnlyList<RefundPaymentRequest> Refunds
    {
        get
        {
            lock (this.gate)
            {
                return [.. this.refunds];
            }
        }
    }

    public Task<RefundResult> RefundAsync(RefundPaymentRequest request, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            this.refundAttempts.Add(request);
        }

        if (this.RefundOutage.ShouldFail())
        {
            feed.Publish();
            throw new TransientPortException($"Payment provider timed out refunding {request.IdempotencyKey}.");
        }

        if (this.declineRefunds)
        {
            feed.Publish();
            return Task.FromResult(new RefundResult(false, request.Amount, null, "charge_disputed"));
        }

        RefundResult? result;
        lock (this.gate)
        {
            if (!this.refundsByKey.TryGetValue(request.IdempotencyKey, out result))
            {
                this.refunds.Add(request);
                result = new RefundResult(true, request.Amount, $"re_{this.refunds.Count}", null);
                this.refundsByKey[request.IdempotencyKey] = result;
            }
        }

        feed.Publish();
        return Task.FromResult(result);
    }
}
