using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderFlow.Bench.Ports;
using OrderFlow.Bench.Workflows;
using OrderFlow.Domain.Fraud;
using OrderFlow.Engine;
using OrderFlow.Workflows;
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

    private BenchHost(ServiceProvider provider, bool deleteHub)
    {
        this.provider = provider;
        this.deleteHub = deleteHub;
        this.Engine = provider.GetRequiredService<DurableEngine>();
        this.Client = provider.GetRequiredService<TaskHubWorkflowClient>();
        this.Orders = provider.GetRequiredService<BenchOrderStore>();
        this.Deliveries = provider.GetRequiredService<BenchDeliveryStore>();
        this.Fulfillment = provider.GetRequiredService<BenchFulfillment>();
        this.Cases = provider.GetRequiredService<BenchExceptionQueue>();
        this.Payments = provider.GetRequiredService<BenchPaymentGateway>();
        this.Ledger = provider.GetRequiredService<BenchLedger>();
    }

    public DurableEngine Engine { get; }

    public TaskHubWorkflowClient Client { get; }

    public BenchOrderStore Orders { get; }

    public BenchDeliveryStore Deliveries { get; }

    public BenchFulfillment Fulfillment { get; }

    public BenchExceptionQueue Cases { get; }

    public BenchPaymentGateway Payments { get; }

    public BenchLedger Ledger { get; }

    /// <summary>
    /// Drops what the bench's own ports keep about a finished order, so that a long run measures the engine's memory,
    /// not the bench's. The notifier's and ledger's dedupe keys are dropped wholesale (the bench never repeats a key).
    /// </summary>
    public void ForgetOrder(string orderId, string deliveryId)
    {
        this.Orders.Forget(orderId);
        this.Deliveries.Forget("bench", deliveryId);
        this.Fulfillment.Forget(orderId);
        this.provider.GetRequiredService<BenchPaymentEventStore>().Forget("pi_" + orderId);
    }

    /// <summary>Clears the dedupe sets of the notifier and ledger (see <see cref="ForgetOrder"/>).</summary>
    public void ForgetSent()
    {
        this.provider.GetRequiredService<BenchNotifier>().Clear();
        this.Ledger.Clear();
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
        services.AddLogging(logging =>
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            });
            logging.SetMinimumLevel(options.Verbose ? LogLevel.Warning : LogLevel.Error);
        });

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new FraudThresholds());
        services.AddSingleton<BenchOrderStore>().AddSingleton<IOrderStore>(sp => sp.GetRequiredService<BenchOrderStore>());
        services.AddSingleton<BenchDeliveryStore>().AddSingleton<IDeliveryStore>(sp => sp.GetRequiredService<BenchDeliveryStore>());
        services.AddSingleton<ICatalog>(new BenchCatalog(sellableSkus));
        services.AddSingleton<BenchPaymentGateway>().AddSingleton<IPaymentGateway>(sp => sp.GetRequiredService<BenchPaymentGateway>());
        services.AddSingleton<ICarrierGateway, BenchCarrier>();
        services.AddSingleton<BenchFulfillment>().AddSingleton<IFulfillmentProvider>(sp => sp.GetRequiredService<BenchFulfillment>());
        services.AddSingleton<IFulfillmentCanceller>(sp => sp.GetRequiredService<BenchFulfillment>());
        services.AddSingleton<BenchNotifier>().AddSingleton<ICustomerNotifier>(sp => sp.GetRequiredService<BenchNotifier>());
        services.AddSingleton<BenchLedger>().AddSingleton<IAccountingLedger>(sp => sp.GetRequiredService<BenchLedger>());
        services.AddSingleton<BenchExceptionQueue>().AddSingleton<IExceptionQueue>(sp => sp.GetRequiredService<BenchExceptionQueue>());
        services.AddSingleton<BenchStockJournal>().AddSingleton<IStockJournal>(sp => sp.GetRequiredService<BenchStockJournal>());
        services.AddSingleton<IStockAlerts>(sp => sp.GetRequiredService<BenchStockJournal>());
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new OrderFlow.Workflows.Options.WorkflowOptions()));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new OrderFlow.Workflows.Options.InventoryOptions()));
        services.AddSingleton<IPaymentLedgerReader, BenchPaymentLedgerReader>();
        services.AddSingleton<IReconciliationReportStore, BenchReconciliationReports>();
        services.AddSingleton<IReturnStore, BenchReturns>();
        services.AddSingleton<BenchPaymentEventStore>().AddSingleton<IPaymentEventStore>(sp => sp.GetRequiredService<BenchPaymentEventStore>());
        services.AddSingleton<IRecentOrderStore, BenchRecentOrders>();

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
                    .AddActivity<BenchAddOneActivity>()
                    .AddActivity<BenchConfirmActivity>()
                    .AddEntity<BenchNoOpEntity>();
            });

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        try
        {
            await provider.GetRequiredService<DurableEngine>().StartAsync(CancellationToken.None);
            return new BenchHost(provider, options.Backend == DurableEngineBackend.AzureStorage && !options.KeepHub);
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

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
        }
    }

    private static IEnumerable<(string Service, Uri Endpoint)> StorageEndpoints(string connectionString)
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
