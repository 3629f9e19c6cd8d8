using System.Collections.Concurrent;
using OrderFlow.Domain.Common;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>In-memory <see cref="ICarrierGateway"/>: one label per idempotency key; failures can be injected.</summary>
public sealed class FakeCarrierGateway(ChangeFeed feed) : ICarrierGateway
{
    private readonly ConcurrentDictionary<string, ShippingLabel> labels = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<LabelRequest> requests = new();
    private readonly ConcurrentDictionary<string, LabelVoidRequest> voids = new(StringComparer.Ordinal);
    private int voidCalls;
    private int sold;

    /// <summary>The next calls throw before a label is sold (a carrier outage).</summary>
    public FaultPlan Outage { get; } = new();

    /// <summary>The next calls sell the label, then fail (the response is lost on the way back).</summary>
    public FaultPlan FailAfterSale { get; } = new();

    /// <summary>The next calls refuse the ship-to address (not transient: a person must correct it).</summary>
    public FaultPlan RejectAddress { get; } = new();

    /// <summary>
    /// When set, a label purchase waits for it once its request reached the carrier (recorded in <see cref="Requests"/>):
    /// a test holds the carrier in the middle of a purchase.
    /// </summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>Every call that reached the carrier, failed ones included.</summary>
    public IReadOnlyList<LabelRequest> Requests => [.. this.requests];

    /// <summary>Labels sold, by idempotency key.</summary>
    public IReadOnlyDictionary<string, ShippingLabel> Labels => new Dictionary<string, ShippingLabel>(this.labels, StringComparer.Ordinal);

    /// <summary>What the carrier answers to a void (EasyPost refund_status words); submitted unless a test says otherwise.</summary>
    public string VoidAnswer { get; set; } = LabelVoidResult.Submitted;

    /// <summary>Labels voided, one per idempotency key.</summary>
    public IReadOnlyList<LabelVoidRequest> Voids => [.. this.voids.Values.OrderBy(v => v.FulfillmentId, StringComparer.Ordinal)];

    /// <summary>Every void call, retries included.</summary>
    public int VoidCalls => Volatile.Read(ref this.voidCalls);

    /// <summary>Forgets the labels sold, the requests and the voids so far (the bench's long runs; the bench never repeats a key).</summary>
    public void Clear()
    {
        this.labels.Clear();
        this.requests.Clear();
        this.voids.Clear();
    }

    public Task<LabelVoidResult> VoidLabelAsync(LabelVoidRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref this.voidCalls);
        this.voids.TryAdd(request.IdempotencyKey, request);
        feed.Publish();
        return Task.FromResult(new LabelVoidResult(this.VoidAnswer, this.VoidAnswer == LabelVoidResult.Rejected ? "label already scanned" : null));
    }

    public Task<ShippingLabel> BuyLabelAsync(LabelRequest request, CancellationToken cancellationToken = default)
    {
        if (this.Hold is { } hold)
        {
            this.requests.Enqueue(request);
            feed.Publish();
            return hold.Task.ContinueWith(_ => this.Sell(request, recorded: true), cancellationToken, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }

        return this.Sell(request, recorded: false);
    }

    private Task<ShippingLabel> Sell(LabelRequest request, bool recorded)
    {
        if (!recorded)
        {
            this.requests.Enqueue(request);
        }

        try
        {
            if (this.Outage.ShouldFail())
            {
                throw new TransientPortException($"Carrier returned 503 for {request.FulfillmentId}.");
            }

            if (this.RejectAddress.ShouldFail())
            {
                throw new CarrierAddressRejectedException($"Address not found: {request.ShipTo.PostalCode} is not a deliverable postal code.");
            }

            var label = this.labels.GetOrAdd(request.IdempotencyKey, _ =>
            {
                var n = Interlocked.Increment(ref this.sold);
                var tracking = $"1Z{n:D6}";
                return new ShippingLabel("FakeCarrier", "ground", tracking, $"https://track.test/{tracking}", $"https://labels.test/{tracking}.pdf", new Money(7_50, "USD"));
            });

            if (this.FailAfterSale.ShouldFail())
            {
                throw new TransientPortException($"Carrier sold {label.TrackingNumber} but the response was lost.");
            }

            return Task.FromResult(label);
        }
        finally
        {
            feed.Publish();
        }
    }
}
