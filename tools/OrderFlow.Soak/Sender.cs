using System.Collections.Concurrent;
using System.Net;

namespace OrderFlow.Soak;

/// <summary>
/// Sends scheduled deliveries like a webhook provider: a 2xx settles a good delivery, a 5xx, 429 or connection error is
/// retried 2 s later (as Shopify and Stripe retry), anything else settles it as refused. A bad delivery must be refused
/// (401); its 2xx is counted as accepted.
/// </summary>
public sealed class Sender(HttpClient http, Func<Uri> baseAddress, string operatorKey)
{
    private readonly PriorityQueue<Delivery, DateTimeOffset> queue = new();
    private readonly Lock gate = new();
    private int inFlight;

    public ConcurrentDictionary<string, int> GoodAcked { get; } = new();

    public ConcurrentBag<(Delivery Delivery, int Status)> GoodRefused { get; } = [];

    public ConcurrentBag<(Delivery Delivery, int Status)> BadAccepted { get; } = [];

    public int GoodSent;
    public int BadSent;
    public int BadRefused;
    public int Retries;

    public int Pending
    {
        get
        {
            lock (gate)
            {
                return queue.Count + Volatile.Read(ref inFlight);
            }
        }
    }

    public void Schedule(Delivery delivery, TimeSpan delay)
    {
        lock (gate)
        {
            queue.Enqueue(delivery, DateTimeOffset.UtcNow + delay);
        }
    }

    /// <summary>Runs <paramref name="workers"/> senders until <paramref name="cancellationToken"/> fires.</summary>
    public Task RunAsync(int workers, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => this.WorkAsync(cancellationToken), CancellationToken.None)));

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Delivery? next = null;
            lock (gate)
            {
                if (queue.TryPeek(out var d, out var due) && due <= DateTimeOffset.UtcNow)
                {
                    next = queue.Dequeue();
                    inFlight++;
                }
            }

            if (next is null)
            {
                try
                {
                    await Task.Delay(50, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            try
            {
                await this.SendOnceAsync(next, cancellationToken);
            }
            finally
            {
                lock (gate)
                {
                    inFlight--;
                }
            }
        }
    }

    private async Task SendOnceAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        int status;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress(), delivery.Route))
            {
                Content = new ByteArrayContent(delivery.Body) { Headers = { { "Content-Type", "application/json" } } },
            };
            foreach (var (name, value) in delivery.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            using var response = await http.SendAsync(request, timeout.Token);
            status = (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            status = 0;
        }

        if (status == 0 || status >= 500 || status == (int)HttpStatusCode.TooManyRequests)
        {
            Interlocked.Increment(ref Retries);
            this.Schedule(delivery, TimeSpan.FromSeconds(2));
            return;
        }

        var ok = status is >= 200 and < 300;
        if (delivery.Kind == DeliveryKind.Good)
        {
            Interlocked.Increment(ref GoodSent);
            if (ok)
            {
                GoodAcked.AddOrUpdate(delivery.Id, 1, (_, n) => n + 1);
            }
            else
            {
                GoodRefused.Add((delivery, status));
            }
        }
        else
        {
            Interlocked.Increment(ref BadSent);
            if (ok)
            {
                BadAccepted.Add((delivery, status));
            }
            else
            {
                Interlocked.Increment(ref BadRefused);
            }
        }
    }

    /// <summary>GET with the operator key; null on a transport error or a 5xx.</summary>
    public async Task<(int Status, string Body)?> GetAsync(string path, CancellationToken cancellationToken) =>
        await this.OperatorAsync(HttpMethod.Get, path, null, cancellationToken);

    public async Task<(int Status, string Body)?> OperatorAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(baseAddress(), path));
            request.Headers.Add("X-Operator-Key", operatorKey);
            if (json is not null)
            {
                request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            using var response = await http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return (int)response.StatusCode >= 500 ? null : ((int)response.StatusCode, body);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
