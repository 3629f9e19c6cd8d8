using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderFlow.Bench.Ports;
using OrderFlow.Bench.Workflows;
using OrderFlow.Domain.Fraud;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Bench;

/// <summary>
/// One durable engine for the whole run: the real task registry (OrderOrchestrator, activities, InventoryEntity) plus
/// the bench's own orchestrators, over in-memory ports. Stop and dispose it with <see cref="DisposeAsync"/>.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly ServiceProvider provider;
    private readonly bool deleteHub;
    private bool disposed;

    private BenchHost(ServiceProvider provider, bool deleteHub, EngineProfile? profile)
    {
        this.provider = provider;
        this.deleteHub = deleteHub;
        this.Profile = profile;
        this.Engine = provider.GetRequiredService<DurableEngine>();
        this.Client = provider.GetRequiredService<TaskHubWorkflowClient>();
        this.Orders = provider.GetRequiredService<FakeOrderStore>();
        this.Deliveries = provider.GetRequiredService<FakeDeliveryStore>();
        this.Fulfillment = provider.GetRequiredService<BenchFulfillment>();
        this.Cases = provider.GetRequiredService<FakeExceptionQueue>();
        this.Payments = provider.GetRequiredService<FakePaymentGateway>();
        this.Ledger = provider.GetRequiredService<FakeAccountingLedger>();
    }

    public DurableEngine Engine { get; }

    /// <summary>With --profile: the engine's log events and HTTP requests, tallied per window; null otherwise.</summary>
    public EngineProfile? Profile { get; }

    public TaskHubWorkflowClient Client { get; }

    public FakeOrderStore Orders { get; }

    public FakeDeliveryStore Deliveries { get; }

    public BenchFulfillment Fulfillment { get; }

    public FakeExceptionQueue Cases { get; }

    public FakePaymentGateway Payments { get; }

    public FakeAccountingLedger Ledger { get; }

    /// <summary>
    /// Takes <paramref name="order"/> in as intake would (an accepted delivery) before its workflow starts; its payment
    /// is authorized for exactly the expected amount, to be captured per parcel (auth-then-capture).
    /// </summary>
    public void Accept(string deliveryId, Order order)
    {
        this.Payments.Script(order.OrderId, PaymentState.RequiresCapture);
        this.Deliveries.Capture(deliveryId, order);
    }

    /// <summary>
    /// Drops what the in-memory ports keep about a finished order, so that a long run measures the engine's memory,
    /// not the fakes'. What is not kept per order (messages, sales, labels, ledger rows) goes wholesale in <see cref="ForgetSent"/>.
    /// </summary>
    public void ForgetOrder(string orderId, string deliveryId)
    {
        this.Orders.Forget(orderId);
        this.Deliveries.Forget("bench", deliveryId);
        this.Payments.Forget(orderId);
        this.Fulfillment.Forget(orderId);
        this.provider.GetRequiredService<FakePaymentEventStore>().Forget(orderId);
    }

    /// <summary>
    /// Clears the notifier's, ledger's and carrier's records and the stock ledger rows (see <see cref="ForgetOrder"/>;
    /// the bench never repeats a key, and no workflow reads the rows back).
    /// </summary>
    public void ForgetSent()
    {
        this.provider.GetRequiredService<FakeCustomerNotifier>().Clear();
        this.Ledger.Clear();
        this.provider.GetRequiredService<FakeCarrierGateway>().Clear();
        this.provider.GetRequiredService<FakeStockJournal>().ClearLines();
    }

    /// <summary>The process's peak working set so far, in MiB.</summary>
    public static long PeakWorkingSetMegabytes()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024 * 1024);
    }

    /// <summary>A fresh task hub name per run (letters and digits, starts with a letter).</summary>
    public static string NewTaskHubName() => "bench" + DateTime.UtcNow.ToString("MMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6];

    public static async Task<BenchHost> StartAsync(BenchOptions options, string taskHubName, IEnumerable<string> sellableSkus)
    {
        var services = new ServiceCollection();
        var profile = options.Profile ? new EngineProfile(options.ConnectionString, taskHubName, options.StoragePid) : null;
        services.AddLogging(logging =>
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            });
            logging.SetMinimumLevel(options.Verbose ? LogLevel.Warning : LogLevel.Error);
            if (profile is not null)
            {
                // The engine's own events (Debug and up) go to the profile only; the console keeps its level.
                logging.AddProvider(profile);
                logging.AddFilter<EngineProfile>("DurableTask", LogLevel.Debug);
            }
        });

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new FraudThresholds());
        var feed = new ChangeFeed();
        var catalog = new FakeCatalog();
        catalog.Add([.. sellableSkus]);
        var journal = new FakeStockJournal(feed);
        Register<IOrderStore>(services, new FakeOrderStore(feed));
        Register<IDeliveryStore>(services, new FakeDeliveryStore());
        services.AddSingleton<ICatalog>(catalog);
        Register<IPaymentGateway>(services, new FakePaymentGateway(feed));
        Register<ICarrierGateway>(services, new FakeCarrierGateway(feed));
        services.AddSingleton<BenchFulfillment>().AddSingleton<IFulfillmentProvider>(sp => sp.GetRequiredService<BenchFulfillment>());
        services.AddSingleton<IFulfillmentCanceller>(sp => sp.GetRequiredService<BenchFulfillment>());
        Register<ICustomerNotifier>(services, new FakeCustomerNotifier(feed));
        Register<IAccountingLedger>(services, new FakeAccountingLedger(feed));
        Register<IExceptionQueue>(services, new FakeExceptionQueue(feed));
        services.AddSingleton(journal).AddSingleton<IStockJournal>(journal).AddSingleton<IStockAlerts>(journal);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new OrderFlow.Workflows.Options.WorkflowOptions()));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new OrderFlow.Workflows.Options.InventoryOptions()));
        services.AddSingleton<IPaymentLedgerReader>(new FakePaymentLedgerReader());
        services.AddSingleton<IReconciliationReportStore>(new FakeReconciliationReportStore(feed));
        services.AddSingleton<IReturnStore>(new FakeReturnStore(feed));
        Register<IPaymentEventStore>(services, new FakePaymentEventStore());
        Register<IPendingCancellationStore>(services, new FakePendingCancellationStore());
        services.AddSingleton<IRecentOrderStore, BenchRecentOrders>();
        services.AddSingleton<IEntityStateReader>(sp => new WorkflowClientEntityStateReader(new OrderFlow.Host.EngineWorkflowClient(sp.GetRequiredService<TaskHubWorkflowClient>())));

        services.AddDurableEngine(
            engine =>
            {
                engine.Backend = options.Backend;
                engine.TaskHubName = taskHubName;
                engine.WorkerId = "bench-" + Environment.ProcessId;
                engine.StorageConnectionString = options.ConnectionString;

                // Client-side only: how often WaitForCompletionAsync re-reads a status on Azure Storage. Latency
                // figures come from the instance's own timestamps, so this delays noticing an end, not the figures.
                engine.StatusPollingInterval = options.StatusPollingInterval;
                options.Apply(engine);
            },
            registry =>
            {
                foreach (var type in WorkflowRegistry.Orchestrators)
                {
                    registry.AddOrchestrator(type);
                }

                foreach (var type in WorkflowRegistry.Activities)
                {
                    registry.AddActivity(type);
                }

                foreach (var type in WorkflowRegistry.Entities)
                {
                    registry.AddEntity(type);
                }

                registry.AddOrchestrator<BenchFiveStepOrchestrator>()
                    .AddOrchestrator<BenchInventoryOpsOrchestrator>()
                    .AddOrchestrator<BenchOrderShapeOrchestrator>()
                    .AddOrchestrator<BenchNoOpChildOrchestrator>()
                    .AddActivity<BenchAddOneActivity>()
                    .AddActivity<BenchConfirmActivity>()
                    .AddEntity<BenchNoOpEntity>();
            });

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        try
        {
            await provider.GetRequiredService<DurableEngine>().StartAsync(CancellationToken.None);
            return new BenchHost(provider, options.Backend == DurableEngineBackend.AzureStorage && !options.KeepHub, profile);
        }
        catch
        {
            await provider.DisposeAsync();
            profile?.Dispose();
            throw;
        }
    }

    /// <summary>Registers <paramref name="port"/> both as itself (the bench reads it) and as the port the activities take.</summary>
    private static void Register<TPort>(IServiceCollection services, TPort port)
        where TPort : class => services.AddSingleton(port.GetType(), port).AddSingleton(port);

    /// <summary>Null when every storage endpoint of the connection string accepts a TCP connection, else what failed.</summary>
    public static async Task<string?> CheckStorageReachableAsync(string connectionString)
    {
        foreach (var (service, endpoint) in StorageEndpoints(connectionString))
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                return $"{service} endpoint {endpoint} is not reachable ({ex.Message})";
            }
        }

        return null;
    }

    /// <summary>Stops the worker, deletes an Azure Storage task hub (unless kept), and disposes the container.</summary>
    public async ValueTask DisposeAsync()
    {
        if (this.disposed)
        {
            return;
        }

        this.disposed = true;
        try
        {
            await this.Engine.StopAsync(CancellationToken.None);
            if (this.deleteHub)
            {
                await this.Engine.OrchestrationService.DeleteAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }
        }
        finally
        {
            await this.provider.DisposeAsync();
            this.Profile?.Dispose();
        }
    }

    internal static IEnumerable<(string Service, Uri Endpoint)> StorageEndpoints(string connectionString)
    {
        var settings = connectionString
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);

        if (settings.TryGetValue("UseDevelopmentStorage", out var development) && bool.TryParse(development, out var useDevelopment) && useDevelopment)
        {
            yield return ("blob", new Uri("http://127.0.0.1:10000"));
            yield return ("queue", new Uri("http://127.0.0.1:10001"));
            yield return ("table", new Uri("http://127.0.0.1:10002"));
            yield break;
        }

        foreach (var service in new[] { "Blob", "Queue", "Table" })
        {
            if (settings.TryGetValue(service + "Endpoint", out var endpoint))
            {
                yield return (service.ToLowerInvariant(), new Uri(endpoint));
            }
        }
    }
}
