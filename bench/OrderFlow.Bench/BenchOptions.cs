using System.Globalization;
using OrderFlow.Engine;

namespace OrderFlow.Bench;

/// <summary>Command line of the bench. Every run is bounded: a count per scenario and a time budget per scenario.</summary>
public sealed class BenchOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/OrderFlow.Bench -- [options]
          --backend inmemory|azurestorage   engine backend (default inmemory); azurestorage needs Azurite on 127.0.0.1:10000-10002
          --orders N                        size of every scenario: N orchestrations (engine), N entity operations (entity,
                                            hot-sku), N orders (orders), N webhook deliveries (webhook). Default in memory:
                                            20000 for engine, entity and hot-sku, 5000 for orders; on Azure Storage: 200
                                            engine, 400 entity and hot-sku, 100 orders; 500 webhook deliveries on either.
          --seconds S                       time budget per scenario: no new work starts after S seconds, in-flight work
                                            finishes (default 30 in memory, 120 on Azure Storage)
          --concurrency C                   instances in flight at once, closed loop (default 32 in memory, 16 on Azure Storage)
          --skus K                          SKUs the orders scenario spreads over (default 8; fewer = more lock contention)
          --scenario LIST                   comma list of actions,engine,engine-limit,entity,hot-sku,hot-split,orders,webhook,
                                            targets,memory (default all = engine,entity,hot-sku,orders; actions counts one
                                            simple order's durable actions from its history on Azure Storage, webhook drives
                                            the host's Shopify endpoint over HTTP; both need Azurite; engine-limit is a no-op
                                            orchestration with the order's durable actions; targets (old name: table) runs
                                            every issue-18 target and prints one table (needs Azurite); memory samples the
                                            heap under steady load)
          --quick                           targets: a smoke run of about 2 minutes (small sizes, shards 1,4, 30 s memory)
          --minutes M                       memory (and the targets run's memory row): how long the steady load runs
                                            (default 2; in targets --quick 0.5)
          --rate R                          memory: orders arriving per second, open loop (default 20); 0 = closed loop
                                            at --concurrency
          --keep-instances                  memory: do not purge finished orders from the engine (in memory it keeps every
                                            instance until purged, so the heap grows by design)
          --confirmation-timeout S          orders: how long an order waits for the shipped confirmation (default 1800 s;
                                            a durable timer each, dropped when the order finishes)
          --persistent-orders N             targets: orders for the persistent-engine rows (default 100)
          --half-load-seconds S             targets: how long orders arrive at half the sustained rate (default 40)
          --poll-ms MS                      Azure Storage only: how often a waiting client re-reads an instance's status
                                            (default 500; every in-flight instance is polled, which loads Azurite too)
          --connection CS                   storage connection string (default AZURITE_CONNECTION or UseDevelopmentStorage=true)
          --revision R                      orders scenario: the order workflow revision the orders start under (default
                                            the current one, as intake starts them); actions scenario: counted too
          --partitions P                    Azure Storage only: control-queue partitions (1-16, default 4)
          --control-batch B                 Azure Storage only: control-queue messages per poll (1-32, default 32)
          --max-poll-ms MS                  Azure Storage only: longest idle-queue polling back-off (default 1000)
          --activities N                    activity work items the engine runs at once (bench engine and webhook
                                            host; default 10 per processor)
          --keep-hub                        do not delete the Azure Storage task hub at the end
          --shards LIST                     hot-split: the shard counts to measure (default 1,2,4,8,16; the factor is against the first)
          --profile                         hot-split: per point, where the time goes (storage requests by kind and
                                            latency, episodes, entity batch sizes, message transit, history fetch,
                                            work-item times), from the engine's own log events and HTTP metrics
          --storage-pid PID                 with --profile: also the CPU of this process (the storage emulator, Azurite)
          --verbose                         engine warnings and errors on the console
        """;

    /// <summary>What "all" (and no --scenario) runs: the engine scenarios, in process, no HTTP.</summary>
    public static readonly string[] AllScenarios = ["engine", "entity", "hot-sku", "orders"];

    /// <summary>The HTTP scenario: the host's Shopify webhook endpoint, with Tables and Queues on Azurite.</summary>
    public const string WebhookScenario = "webhook";

    /// <summary>The durable actions of one simple order per revision, counted from its history on Azure Storage (Azurite).</summary>
    public const string ActionsScenario = "actions";

    /// <summary>A no-op orchestration with the same durable actions as a real order: what the engine allows for that shape.</summary>
    public const string EngineLimitScenario = "engine-limit";

    /// <summary>Every target of issue 18 in one run, printed as one table with figures, settings and machine load ("table" is its old name).</summary>
    public const string TableScenario = "targets";

    /// <summary>Heap and working set sampled under steady load for --minutes.</summary>
    public const string MemoryScenario = "memory";

    private static readonly string[] KnownScenarios = [ActionsScenario, "engine", EngineLimitScenario, "entity", "hot-sku", "orders", HotSplitScenario.Name, WebhookScenario, TableScenario, MemoryScenario];

    public DurableEngineBackend Backend { get; private set; } = DurableEngineBackend.InMemory;

    /// <summary>The N given with --orders, or null for the per-scenario defaults (see <see cref="CountFor"/>).</summary>
    public int? Count { get; private set; }

    public TimeSpan Budget { get; private set; }

    public int Concurrency { get; private set; }

    public int OrderSkus { get; private set; } = 8;

    public IReadOnlyList<string> Scenarios { get; private set; } = AllScenarios;

    public string ConnectionString { get; private set; } =
        Environment.GetEnvironmentVariable("AZURITE_CONNECTION") is { Length: > 0 } configured ? configured : "UseDevelopmentStorage=true";

    public bool KeepHub { get; private set; }

    /// <summary>--shards: the hot-split scenario's shard counts.</summary>
    public IReadOnlyList<int> Shards { get; private set; } = [1, 2, 4, 8, 16];

    /// <summary>--profile: the engine's log events and HTTP requests are tallied per measured window (<see cref="EngineProfile"/>).</summary>
    public bool Profile { get; private set; }

    /// <summary>--storage-pid: the storage emulator's process, whose CPU the profile reads.</summary>
    public int? StoragePid { get; private set; }

    /// <summary>Client status polling interval while waiting on the Azure Storage backend (the in-memory one signals).</summary>
    public TimeSpan StatusPollingInterval { get; private set; } = TimeSpan.FromMilliseconds(500);

    public bool Verbose { get; private set; }

    /// <summary>Engine settings the bench was asked to change (Azure Storage backend); the defaults otherwise.</summary>
    public int? PartitionCount { get; private set; }

    /// <summary>The order workflow revision the "orders" scenario starts its orders under ("actions" counts it beside revision 7 and the current one).</summary>
    public int Revision { get; private set; } = OrderFlow.Workflows.Contracts.OrderWorkflowVersions.Current;

    public int? ControlQueueBatchSize { get; private set; }

    public TimeSpan? MaxQueuePollingInterval { get; private set; }

    /// <summary>--activities: the engine's MaxConcurrentActivities (bench engine and webhook host); null for the default.</summary>
    public int? MaxConcurrentActivities { get; private set; }

    /// <summary>--minutes: the memory run's length (null when not given).</summary>
    public int? Minutes { get; private set; }

    /// <summary>--quick: the targets run's smoke sizes.</summary>
    public bool Quick { get; private set; }

    /// <summary>--rate: the memory run's arrivals per second (open loop); 0 for a closed loop.</summary>
    public double Rate { get; private set; } = 20;

    /// <summary>How long the memory run's steady load lasts: --minutes, else 30 s with --quick, else 2 minutes.</summary>
    public TimeSpan MemoryDuration => this.Minutes is { } minutes ? TimeSpan.FromMinutes(minutes) : TimeSpan.FromSeconds(this.Quick ? 30 : 120);

    /// <summary>--keep-instances: the memory run leaves finished orders in the engine.</summary>
    public bool KeepInstances { get; private set; }

    /// <summary>--confirmation-timeout: the orders' wait for the shipped confirmation (default 30 minutes); a durable timer each.</summary>
    public TimeSpan? ConfirmationTimeout { get; private set; }

    /// <summary>--persistent-orders: orders of the table's persistent-engine rows.</summary>
    public int PersistentOrders { get; private set; } = 100;

    /// <summary>--half-load-seconds: how long the table's half-load arrivals last.</summary>
    public TimeSpan HalfLoadDuration { get; private set; } = TimeSpan.FromSeconds(40);

    /// <summary>--seconds and --concurrency as given (null for the backend's defaults), for copies on another backend.</summary>
    private int? givenSeconds;
    private int? givenConcurrency;

    /// <summary>The engine settings that differ from the defaults, for the header line ("" when none).</summary>
    public string EngineSettings => string.Join(" ", new[]
    {
        this.PartitionCount is { } p ? $"partitions={p}" : null,
        this.ControlQueueBatchSize is { } b ? $"control-batch={b}" : null,
        this.MaxQueuePollingInterval is { } m ? $"max-poll={m.TotalMilliseconds:F0}ms" : null,
        this.MaxConcurrentActivities is { } a ? $"activities={a}" : null,
    }.Where(s => s is not null));

    /// <summary>Applies the settings given on the command line to the engine's options.</summary>
    public void Apply(DurableEngineOptions engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        engine.PartitionCount = this.PartitionCount ?? engine.PartitionCount;
        engine.ControlQueueBatchSize = this.ControlQueueBatchSize ?? engine.ControlQueueBatchSize;
        engine.MaxQueuePollingInterval = this.MaxQueuePollingInterval ?? engine.MaxQueuePollingInterval;
        engine.MaxConcurrentActivities = this.MaxConcurrentActivities ?? engine.MaxConcurrentActivities;
    }

    /// <summary>
    /// Size of a scenario: --orders N for all, else the default. The cheap scenarios default to more than the orders
    /// so that each runs for seconds rather than a fraction of one; all together stay under about 60 s in memory.
    /// </summary>
    public int CountFor(string scenario)
        => this.Count ?? (this.Backend, scenario) switch
        {
            (_, WebhookScenario) => 500,
            (DurableEngineBackend.InMemory, "orders" or EngineLimitScenario) => 5000,
            (DurableEngineBackend.InMemory, _) => 20000,
            (_, "orders" or EngineLimitScenario) => 100,
            (_, "engine") => 200,
            _ => 400,
        };

    /// <summary>Longest wait for one instance to finish before it counts as failed.</summary>
    public TimeSpan InstanceTimeout => this.Backend == DurableEngineBackend.InMemory ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(180);

    /// <summary>A copy on another engine backend (the "actions" scenario reads histories, which only Azure Storage keeps).</summary>
    public BenchOptions WithBackend(DurableEngineBackend backend)
    {
        var copy = (BenchOptions)this.MemberwiseClone();
        copy.Backend = backend;
        return copy;
    }

    /// <summary>
    /// A copy for one part of a composite run: on <paramref name="backend"/>, with --seconds and --concurrency as given or
    /// else that backend's defaults, and the count given here (or --orders).
    /// </summary>
    public BenchOptions For(DurableEngineBackend backend, int? count, int? concurrency = null, TimeSpan? budget = null)
    {
        var copy = this.WithBackend(backend);
        var inMemory = backend == DurableEngineBackend.InMemory;
        copy.Count = count ?? this.Count;
        copy.Budget = this.givenSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : budget ?? TimeSpan.FromSeconds(inMemory ? 30 : 120);
        copy.Concurrency = concurrency ?? this.givenConcurrency ?? (inMemory ? 32 : 16);
        return copy;
    }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        int? count = null;
        int? seconds = null;
        int? concurrency = null;
        bool persistentGiven = false, halfGiven = false, shardsGiven = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--backend":
                    options.Backend = Value().ToLowerInvariant() switch
                    {
                        "inmemory" or "memory" or "mem" => DurableEngineBackend.InMemory,
                        "azurestorage" or "azure" or "azurite" => DurableEngineBackend.AzureStorage,
                        var other => throw new ArgumentException($"Unknown backend '{other}'."),
                    };
                    break;
                case "--orders":
                    count = PositiveInt(name, Value(), 1_000_000);
                    break;
                case "--seconds":
                    seconds = PositiveInt(name, Value(), 3600);
                    break;
                case "--concurrency":
                    concurrency = PositiveInt(name, Value(), 1000);
                    break;
                case "--skus":
                    options.OrderSkus = PositiveInt(name, Value(), 1000);
                    break;
                case "--scenario":
                case "--scenarios":
                    var list = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(s => s.ToLowerInvariant()).ToList();
                    if (list.Count == 0 || list.Any(s => s is not "all" and not "table" && !KnownScenarios.Contains(s)))
                    {
                        throw new ArgumentException($"--scenario takes a comma list of {string.Join(",", KnownScenarios)} or all.");
                    }

                    list = list.Select(s => s == "table" ? TableScenario : s).ToList();
                    options.Scenarios = KnownScenarios.Where(s => list.Contains(s) || (list.Contains("all") && AllScenarios.Contains(s))).ToList();
                    break;
                case "--connection":
                    options.ConnectionString = Value();
                    break;
                case "--poll-ms":
                    options.StatusPollingInterval = TimeSpan.FromMilliseconds(PositiveInt(name, Value(), 60_000));
                    break;
                case "--revision":
                    options.Revision = PositiveInt(name, Value(), OrderFlow.Workflows.Contracts.OrderWorkflowVersions.Current);
                    break;
                case "--partitions":
                    options.PartitionCount = PositiveInt(name, Value(), 16);
                    break;
                case "--control-batch":
                    options.ControlQueueBatchSize = PositiveInt(name, Value(), 32);
                    break;
                case "--activities":
                    options.MaxConcurrentActivities = PositiveInt(name, Value(), 1000);
                    break;
                case "--max-poll-ms":
                    options.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(PositiveInt(name, Value(), 60_000));
                    break;
                case "--minutes":
                    options.Minutes = PositiveInt(name, Value(), 600);
                    break;
                case "--confirmation-timeout":
                    options.ConfirmationTimeout = TimeSpan.FromSeconds(PositiveInt(name, Value(), 30 * 86400));
                    break;
                case "--quick":
                    options.Quick = true;
                    break;
                case "--rate":
                    var rate = Value();
                    options.Rate = rate == "0" ? 0 : PositiveInt(name, rate, 100_000);
                    break;
                case "--keep-instances":
                    options.KeepInstances = true;
                    break;
                case "--persistent-orders":
                    options.PersistentOrders = PositiveInt(name, Value(), 100_000);
                    persistentGiven = true;
                    break;
                case "--half-load-seconds":
                    options.HalfLoadDuration = TimeSpan.FromSeconds(PositiveInt(name, Value(), 3600));
                    halfGiven = true;
                    break;
                case "--keep-hub":
                    options.KeepHub = true;
                    break;
                case "--shards":
                    options.Shards = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(value => PositiveInt(name, value, 64)).Distinct().ToList() is { Count: > 0 } shards
                        ? shards
                        : throw new ArgumentException($"{name} takes a comma list of shard counts.");
                    shardsGiven = true;
                    break;
                case "--profile":
                    options.Profile = true;
                    break;
                case "--storage-pid":
                    options.StoragePid = PositiveInt(name, Value(), int.MaxValue);
                    break;
                case "--verbose":
                    options.Verbose = true;
                    break;
                case "-h" or "--help":
                    throw new ArgumentException(string.Empty);
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        var inMemory = options.Backend == DurableEngineBackend.InMemory;
        options.Count = count;
        options.givenSeconds = seconds;
        if (options.Quick)
        {
            // The smoke run of "targets": every row measured, at sizes that take about 2 minutes in all.
            options.PersistentOrders = persistentGiven ? options.PersistentOrders : 16;
            options.HalfLoadDuration = halfGiven ? options.HalfLoadDuration : TimeSpan.FromSeconds(10);
            options.Shards = shardsGiven ? options.Shards : [1, 4];
        }

        options.givenConcurrency = concurrency;
        options.Budget = TimeSpan.FromSeconds(seconds ?? (inMemory ? 30 : 120));
        options.Concurrency = concurrency ?? (inMemory ? 32 : 16);
        return options;
    }

    private static int PositiveInt(string name, string value, int max)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1 && parsed <= max
            ? parsed
            : throw new ArgumentException($"{name} takes a whole number from 1 to {max}, not '{value}'.");
}
