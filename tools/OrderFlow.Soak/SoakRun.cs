using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OrderFlow.Testing;

namespace OrderFlow.Soak;

/// <summary>One soak: the host under load, faults and kills, then the invariants (<see cref="Invariants"/>).</summary>
public sealed class SoakRun : IDisposable
{
    public const string ShopifySecret = "soak-shopify-webhook-secret-0123456789";
    public const string StripeSecret = "whsec_soak_stripe_endpoint_secret_0123456789";
    public const string OperatorKey = "soak-operator-key-0123456789abcdef0123";
    public const string TaskHub = "OrderFlowSoak";

    /// <summary>Stock per SKU and location; the L SKUs are scarce, so some orders meet a stockout.</summary>
    public static readonly IReadOnlyDictionary<string, (string Location, int Units)> Stock = new Dictionary<string, (string, int)>
    {
        ["SOAK-A"] = ("WH-A", 100_000),
        ["SOAK-B"] = ("WH-A", 100_000),
        ["SOAK-C"] = ("WH-A", 100_000),
        ["SOAK-D"] = ("WH-B", 100_000),
        ["SOAK-L1"] = ("WH-A", 8),
        ["SOAK-L2"] = ("WH-B", 5),
    };

    private readonly SoakOptions options;
    private readonly TestSmtpServer smtp;
    private readonly AzuriteProcess azurite;
    private readonly HostProcess host;
    private readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(10) }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Sender sender;
    private readonly Observer observer;
    private readonly Random random;
    private readonly DeliveryFactory factory;
    private readonly ConcurrentDictionary<string, PlacedOrder> orders = new();
    private readonly List<string> forgedOrders = [];
    private readonly List<string> stripeGood = [];
    private readonly List<string> stripeForged = [];
    private readonly Lock hostGate = new();
    private int kills;
    private int crashes;
    private int azuriteRestarts;
    private readonly string hostLog;

    public SoakRun(SoakOptions options, string root, string work, TestSmtpServer smtp, AzuriteProcess azurite)
    {
        this.options = options;
        this.smtp = smtp;
        this.azurite = azurite;
        random = new Random(options.Seed);
        var hostFolder = Path.Combine(root, "src", "OrderFlow.Host", "bin", "Release", "net10.0");
        hostLog = Path.Combine(work, "host.log");
        host = new HostProcess(hostFolder, HostEnvironment(), hostLog);
        sender = new Sender(http, () => host.BaseAddress, OperatorKey);
        observer = new Observer(sender);
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "shopify-order.json")))!.AsObject();
        factory = new DeliveryFactory(template, ShopifySecret, StripeSecret);
    }

    public async Task<int> RunAsync()
    {
        host.Start();
        if (!await host.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), CancellationToken.None))
        {
            throw new InvalidOperationException("The host did not become healthy within 90 s; see host.log in the work folder.");
        }

        await this.SeedStockAsync();
        var clock = Stopwatch.StartNew();
        using var stopAll = new CancellationTokenSource();
        using var stopChaos = new CancellationTokenSource();
        var senders = sender.RunAsync(16, stopAll.Token);
        var polling = observer.RunAsync(() => [.. orders.Keys.Where(id => orders[id].Accepted(sender))], stopAll.Token);
        var chaos = this.ChaosAsync(clock, stopChaos.Token);
        await this.LoadAsync(clock);
        await stopChaos.CancelAsync();
        await chaos;
        await this.EnsureHostAsync("after the load");

        // Quiescence: every accepted order completed or held by an open case, every delivery answered; bounded.
        var quiet = Stopwatch.StartNew();
        while (quiet.Elapsed < options.QuiescenceBound)
        {
            await this.EnsureHostAsync("while settling");
            var open = this.Accepted().Count(id => !observer.Settled(id));
            if (sender.Pending == 0 && open == 0)
            {
                break;
            }

            if (quiet.Elapsed.Seconds % 15 == 0 && quiet.Elapsed.TotalSeconds >= 1)
            {
                Console.WriteLine(FormattableString.Invariant($"soak: settling, {quiet.Elapsed.TotalSeconds:F0} s: {open} orders still running, {sender.Pending} deliveries unanswered"));
            }

            await Task.Delay(1000);
        }

        Console.WriteLine(FormattableString.Invariant($"soak: load {clock.Elapsed.TotalSeconds - quiet.Elapsed.TotalSeconds:F0} s, settling {quiet.Elapsed.TotalSeconds:F0} s (bound {options.QuiescenceBound.TotalSeconds:F0} s)"));
        await stopAll.CancelAsync();
        await senders;
        await polling;

        var accepted = orders.Values.Where(o => o.Accepted(sender)).ToList();
        foreach (var order in accepted)
        {
            await observer.RefreshAsync(order.OrderId, CancellationToken.None);
        }

        await observer.PollOnceAsync([], CancellationToken.None);
        var invariants = new Invariants(sender, observer, azurite.ConnectionString, smtp);
        var result = await invariants.CheckAsync(new SoakFacts(
            [.. orders.Values], forgedOrders, stripeGood, stripeForged, Stock, host.Starts - 1, kills, crashes, azuriteRestarts, host.FaultsInjected));
        if (!result)
        {
            HostLogDigest.Print(hostLog);
        }

        return result ? 0 : 1;
    }

    public void Dispose()
    {
        host.Dispose();
        http.Dispose();
    }

    private Dictionary<string, string> HostEnvironment() => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__OrderFlow"] = "Information",
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
        ["Logging__LogLevel__DurableTask.AzureStorage"] = Environment.GetEnvironmentVariable("SOAK_ENGINE_LOG") ?? "Warning",
        ["Engine__Backend"] = "AzureStorage",
        ["Engine__TaskHubName"] = TaskHub,
        ["Engine__WorkerId"] = "orderflow-soak-host",
        ["Storage__ConnectionString"] = azurite.ConnectionString,
        ["Adapters__Payment"] = "Sandbox",
        ["Adapters__Carrier"] = "Sandbox",
        ["Adapters__Accounting"] = "Sandbox",
        ["Adapters__Fulfillment"] = "Queue",
        ["Host__SandboxWarehouse"] = "true",
        ["Host__SandboxWarehouseDelay"] = "00:00:01",
        ["Smtp__Host"] = "127.0.0.1",
        ["Smtp__Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["Smtp__Security"] = "None",
        ["Smtp__FromAddress"] = "orders@orderflow-soak.test",
        ["Smtp__FromName"] = "OrderFlow Soak",
        ["Store__StoreName"] = "OrderFlow Soak",
        ["Store__SupportEmail"] = "support@orderflow-soak.test",
        ["Store__HelpUrl"] = "http://127.0.0.1/help",
        ["Store__OrderStatusBaseUrl"] = "http://127.0.0.1/api/orders",
        ["Cases__ApproverEmail"] = "approver@orderflow-soak.test",
        ["Approvals__SigningKey"] = "soak-approvals-signing-key-0123456789abcdef",
        ["Approvals__PublicBaseUrl"] = "http://127.0.0.1",
        ["Operations__OperatorKey"] = OperatorKey,
        ["Intake__ShopifyWebhookSecret"] = ShopifySecret,
        ["Intake__FulfillmentCallbackSecret"] = "soak-fulfillment-callback-secret-0123456789",
        ["Stripe__WebhookSecret"] = StripeSecret,
        ["Inventory__DefaultOutOfStockPolicy"] = "Escalate",
        ["Inventory__PurchasingEmail"] = "purchasing@orderflow-soak.test",
        ["Fraud__VelocityOrderLimit"] = "1000000",
        ["RateLimiting__WebhookPermitLimit"] = "100000",
        ["Reconciliation__Enabled"] = "false",

        // The watchdog as production runs it, with time compressed (a minute instead of an hour or a week): an order the
        // engine does not move reaches a person as a Stuck case, which is what the product promises. The first invariant
        // counts those orders apart ("only the watchdog's Stuck case"), and the restart figures show how long orders stood.
        ["Watchdog__Interval"] = "00:00:15",

        // The reaper's pass also releases entity locks left by workflows that ended, and unwedges an entity whose lock
        // holder's own request is stuck behind another's (both follow a kill between an entity's sent messages and its
        // saved state); every 20 s here.
        ["Inventory__ReaperInterval"] = "00:00:20",
        ["Watchdog__StuckAfter__Received"] = "00:01:00",
        ["Watchdog__StuckAfter__Validated"] = "00:01:00",
        ["Watchdog__StuckAfter__PaymentConfirmed"] = "00:01:00",
        ["Watchdog__StuckAfter__Reserved"] = "00:01:00",
        ["Watchdog__StuckAfter__InFulfillment"] = "00:01:00",
        ["Watchdog__StuckAfter__PartiallyFulfilled"] = "00:01:00",
        ["FaultInjection__Enabled"] = "true",
        ["FaultInjection__Seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
        ["FaultInjection__Targets__Payment__FailRate"] = "0.05",
        ["FaultInjection__Targets__Payment__LostResponseRate"] = "0.05",
        ["FaultInjection__Targets__Carrier__FailRate"] = "0.05",
        ["FaultInjection__Targets__Carrier__LostResponseRate"] = "0.05",
        ["FaultInjection__Targets__Fulfillment__FailRate"] = "0.05",
        ["FaultInjection__Targets__Fulfillment__LostResponseRate"] = "0.05",
        ["FaultInjection__Targets__Accounting__FailRate"] = "0.05",
        ["FaultInjection__Targets__Accounting__LostResponseRate"] = "0.05",
        ["FaultInjection__Targets__Email__FailRate"] = "0.05",
        ["FaultInjection__Targets__Email__LostResponseRate"] = "0.02",
        ["FaultInjection__Targets__Email__LatencyRate"] = "0.05",
        ["FaultInjection__Targets__Email__Latency"] = "00:00:01",
        ["FaultInjection__Targets__Storage__FailRate"] = "0.01",
        ["FaultInjection__Targets__Storage__LostResponseRate"] = "0.01",
    };

    private async Task SeedStockAsync()
    {
        foreach (var (sku, (location, units)) in Stock)
        {
            var body = new JsonObject { ["title"] = sku, ["locations"] = new JsonObject { [location] = units } }.ToJsonString();
            var answer = await sender.OperatorAsync(HttpMethod.Put, $"/api/inventory/{sku}", body, CancellationToken.None);
            if (answer is not ({ } status, _) || status >= 300)
            {
                throw new InvalidOperationException($"PUT /api/inventory/{sku} failed: {answer?.Body ?? "no answer"}");
            }
        }
    }

    /// <summary>Steady load at the configured rate: each order's deliveries 3 times in shuffled order, bad ones mixed in.</summary>
    private async Task LoadAsync(Stopwatch clock)
    {
        var baseId = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 100;
        var interval = TimeSpan.FromSeconds(1 / options.Rate);
        var n = 0;
        while (clock.Elapsed < options.Load)
        {
            var due = interval * n;
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            this.PlaceOrder(baseId + n);
            n++;
        }
    }

    private void PlaceOrder(long shopifyId)
    {
        var first = random.NextDouble() < 0.12 ? "SOAK-L1" : new[] { "SOAK-A", "SOAK-B", "SOAK-C" }[random.Next(3)];
        var second = random.NextDouble() < 0.12 ? "SOAK-L2" : new[] { "SOAK-A", "SOAK-B", "SOAK-C", "SOAK-D" }[random.Next(4)];
        if (second == first)
        {
            second = "SOAK-D";
        }

        var authorizeOnly = random.NextDouble() < 0.5;
        var intent = authorizeOnly ? $"pi_auth_soak_{shopifyId}" : $"pi_soak_{shopifyId}";
        var order = new PlacedOrder(DeliveryFactory.OrderIdOf(shopifyId), shopifyId, intent, [(first, 2), (second, 1)]);
        orders[order.OrderId] = order;
        Shuffle3(factory.OrderCreated(shopifyId, first, second, intent, DeliveryKind.Good), 0, 4);
        if (random.NextDouble() < 0.1)
        {
            sender.Schedule(factory.OrderCreated(shopifyId, first, second, intent, DeliveryKind.BadSignature), Jitter(0, 4));
        }

        if (random.NextDouble() < 0.05)
        {
            // A forged order: only ever sent with a wrong signature; it must never exist.
            var forged = shopifyId + 50_000_000;
            forgedOrders.Add(DeliveryFactory.OrderIdOf(forged));
            sender.Schedule(factory.OrderCreated(forged, first, second, $"pi_soak_{forged}", DeliveryKind.BadSignature), Jitter(0, 4));
        }

        if (!authorizeOnly)
        {
            var eventId = $"evt_soak_{shopifyId}";
            stripeGood.Add(eventId);
            Shuffle3(factory.PaymentSucceeded(eventId, intent, 5451, DeliveryKind.Good, order.OrderId), 1, 6);
            if (random.NextDouble() < 0.15)
            {
                var kind = random.NextDouble() < 0.5 ? DeliveryKind.StaleTimestamp : DeliveryKind.BadSignature;
                var forgedEvent = $"evt_forged_{shopifyId}";
                stripeForged.Add(forgedEvent);
                sender.Schedule(factory.PaymentSucceeded(forgedEvent, intent, 5451, kind, order.OrderId), Jitter(1, 6));
            }
        }

        if (random.NextDouble() < 0.08)
        {
            order.CancelRequested = true;
            Shuffle3(factory.OrderCancelled(shopifyId, DeliveryKind.Good), 3, 12);
        }
    }

    private void Shuffle3(Delivery delivery, double fromSeconds, double toSeconds)
    {
        for (var copy = 0; copy < 3; copy++)
        {
            sender.Schedule(delivery, Jitter(fromSeconds, toSeconds));
        }
    }

    private TimeSpan Jitter(double fromSeconds, double toSeconds) => TimeSpan.FromSeconds(fromSeconds + (random.NextDouble() * (toSeconds - fromSeconds)));

    /// <summary>
    /// At least this long between two disruptions (kills, the storage outage), so each restart's time to progress is
    /// measured on its own.
    /// </summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(30);

    /// <summary>
    /// SIGKILLs the host every 30-50 s (the first after 10-25 s) and restarts it; once, halfway (and 30 s after a kill),
    /// stops Azurite for 5 s and restarts it on its data.
    /// </summary>
    private async Task ChaosAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        var chaosRandom = new Random(options.Seed + 1);
        // The first kill comes early (10-25 s), so even a one-minute run restarts the host at least once.
        var nextKill = clock.Elapsed + TimeSpan.FromSeconds(10 + (chaosRandom.NextDouble() * 15));
        var azuriteAt = options.Load / 2;
        var azuriteDone = false;
        var lastKill = TimeSpan.Zero;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(500, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await this.EnsureHostAsync("between kills");
            if (!azuriteDone && clock.Elapsed >= azuriteAt && clock.Elapsed >= lastKill + Quiet)
            {
                azuriteDone = true;
                await observer.PollOnceAsync(this.Accepted(), CancellationToken.None);
                var inFlight = observer.InFlight(this.Accepted());
                var stopped = await azurite.StopAsync();
                Console.WriteLine(FormattableString.Invariant($"soak: {clock.Elapsed.TotalSeconds,6:F0} s  Azurite stopped ({inFlight.Count} orders in flight; it {stopped}), restarting it in 5 s on the same data folder"));
                await Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None);
                var mark = observer.Mark("azurite", inFlight);
                await azurite.StartAsync();
                mark.RestartedAt = DateTimeOffset.UtcNow;
                azuriteRestarts++;
                var settle = clock.Elapsed + Quiet;
                nextKill = nextKill < settle ? settle : nextKill;
                continue;
            }

            if (clock.Elapsed >= nextKill)
            {
                await observer.PollOnceAsync(this.Accepted(), CancellationToken.None);
                var inFlight = observer.InFlight(this.Accepted());
                var mark = observer.Mark("host", inFlight);
                lock (hostGate)
                {
                    host.Kill();
                    kills++;
                    lastKill = clock.Elapsed;
                    mark.RestartedAt = DateTimeOffset.UtcNow;
                    host.Start();
                }

                var healthy = await host.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), CancellationToken.None);
                Console.WriteLine(FormattableString.Invariant(
                    $"soak: {clock.Elapsed.TotalSeconds,6:F0} s  host SIGKILLed and restarted ({inFlight.Count} orders in flight, healthy {(healthy ? "yes" : "NO")} after {(DateTimeOffset.UtcNow - mark.RestartedAt).TotalSeconds:F1} s)"));
                nextKill = clock.Elapsed + Quiet + TimeSpan.FromSeconds(chaosRandom.NextDouble() * 20);
            }
        }
    }

    private List<string> Accepted() => [.. orders.Values.Where(o => o.Accepted(sender)).Select(o => o.OrderId)];

    /// <summary>A host that exited on its own (not killed by the soak) is restarted and counted as a crash.</summary>
    private async Task EnsureHostAsync(string when)
    {
        lock (hostGate)
        {
            if (!host.HasExited)
            {
                return;
            }

            crashes++;
            Console.WriteLine($"soak: the host exited on its own {when}; restarting it (see host.log)");
            host.Start();
        }

        await host.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), CancellationToken.None);
    }
}

/// <summary>An order the soak placed: its SKUs, payment intent and whether it asked to cancel.</summary>
public sealed record PlacedOrder(string OrderId, long ShopifyId, string PaymentIntent, IReadOnlyList<(string Sku, int Quantity)> Lines)
{
    public bool CancelRequested { get; set; }

    public string CreateDeliveryId => $"soak-create-{ShopifyId}";

    public bool Accepted(Sender sender) => sender.GoodAcked.ContainsKey(this.CreateDeliveryId);
}

/// <summary>What the invariants are checked against.</summary>
public sealed record SoakFacts(
    IReadOnlyList<PlacedOrder> Orders,
    IReadOnlyList<string> ForgedOrders,
    IReadOnlyList<string> StripeGood,
    IReadOnlyList<string> StripeForged,
    IReadOnlyDictionary<string, (string Location, int Units)> Stock,
    int Restarts,
    int Kills,
    int Crashes,
    int AzuriteRestarts,
    int FaultsInjected);
