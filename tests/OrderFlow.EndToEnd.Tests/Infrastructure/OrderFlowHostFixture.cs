using OrderFlow.Testing;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using OrderFlow.Integrations.Storage;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real OrderFlow host as a child process on the persistent engine (AzureStorage backend on Azurite), its own task
/// hub and table prefix, emails going to an in-test SMTP server, no sandbox warehouse (the tests play the warehouse).
/// One per test collection; every test uses its own order id. Subclasses add settings of their own (<see cref="AddSettings"/>).
/// </summary>
public class OrderFlowHostFixture : IAsyncLifetime
{
    public const string ApproverEmail = "approver@orderflow-e2e.test";
    public const string StoreName = "OrderFlow E2E Store";

    /// <summary>Links in approver emails start with this; tests follow them on the host's own address.</summary>
    public const string ApprovalsBaseUrl = "http://approvals.orderflow-e2e.test";

    /// <summary>Store:OrderStatusBaseUrl; customer emails link to "{this}/{orderId}/status?expires=..&amp;sig=.." (tests follow the path on the host).</summary>
    public const string OrderStatusBaseUrl = "http://shop.orderflow-e2e.test/api/orders";
    public const string OperatorKey = "e2e-operator-key-0123456789abcdef0123";

    private readonly string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
    private int starts;

    public OrderFlowHostFixture()
    {
        TaskHubName = $"e2ehub{token}";
        TablePrefix = $"e2e{token}";
        WorkerId = $"e2e-worker-{token}";
        ShopifySecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        FulfillmentSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        WooCommerceSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        TableService = StorageClients.CreateTableService(AzuriteConnection.ConnectionString);
        QueueService = StorageClients.CreateQueueService(AzuriteConnection.ConnectionString);
        Warehouse = new Warehouse(QueueService, TablePrefix);
    }

    public string TaskHubName { get; }

    public string TablePrefix { get; }

    /// <summary>Stable across restarts, so a new process takes the partition leases back at once.</summary>
    public string WorkerId { get; }

    public string ShopifySecret { get; }

    public string FulfillmentSecret { get; }

    public string WooCommerceSecret { get; }

    public HostLog Log { get; } = new();

    public TableServiceClient TableService { get; }

    public QueueServiceClient QueueService { get; }

    public Warehouse Warehouse { get; }

    public TestSmtpServer Smtp { get; private set; } = null!;

    public HostProcess Host { get; private set; } = null!;

    /// <summary>The API of the current host process (a new one after <see cref="KillAndRestartAsync"/>).</summary>
    public OrderFlowApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await AzuriteConnection.EnsureReachableAsync();
        Smtp = await TestSmtpServer.StartAsync();
        await StartHostAsync();
    }

    /// <summary>The physical table behind a logical name of <see cref="TableNames"/>.</summary>
    public TableClient Table(string logicalName) => TableService.GetTableClient(TablePrefix + logicalName);

    /// <summary>
    /// Kills the host process tree (no graceful shutdown) and starts a new process with the same task hub, table
    /// prefix and worker id.
    /// </summary>
    public async Task KillAndRestartAsync()
    {
        await Host.KillAsync();
        await Host.DisposeAsync();
        Api.Http.Dispose();
        await StartHostAsync();
    }

    /// <summary>Runs a test body; when it fails, the host's output during the test goes to the test output.</summary>
    public async Task RunAsync(ITestOutputHelper output, Func<Task> scenario)
    {
        var mark = Log.Mark;
        try
        {
            await scenario();
        }
        catch
        {
            output.WriteLine($"--- host output during this test (task hub {TaskHubName}, table prefix {TablePrefix}) ---");
            output.WriteLine(Log.Since(mark));
            output.WriteLine("--- emails received by the test SMTP server ---");
            foreach (var message in Smtp.Messages)
            {
                output.WriteLine($"{message.To} | {message.Subject} | {NotificationEmails.KeyOf(message)}");
            }

            throw;
        }
    }

    public virtual async Task DisposeAsync()
    {
        Api?.Http.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();

            // Only a host that started has touched storage.
            await DeleteStorageAsync();
        }

        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }
    }

    /// <summary>Settings of a derived fixture, added to (or replacing) the base host environment.</summary>
    protected virtual void AddSettings(IDictionary<string, string> environment)
    {
    }

    private async Task StartHostAsync()
    {
        var name = $"host#{++starts}";
        Host = await HostProcess.StartAsync(name, HostEnvironment(), Log);
        Api = new OrderFlowApi(new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) }, ShopifySecret, FulfillmentSecret, OperatorKey);
    }

    private Dictionary<string, string> HostEnvironment()
    {
        var storage = AzuriteConnection.ConnectionString;
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Engine__Backend"] = "AzureStorage",
            ["Engine__TaskHubName"] = TaskHubName,
            ["Engine__WorkerId"] = WorkerId,
            ["Engine__StorageConnectionString"] = storage,
            ["Storage__ConnectionString"] = storage,
            ["Storage__TablePrefix"] = TablePrefix,
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp__Security"] = "None",
            ["Smtp__FromAddress"] = "orders@orderflow-e2e.test",
            ["Smtp__FromName"] = StoreName,
            ["Smtp__Timeout"] = "00:00:10",
            ["Store__StoreName"] = StoreName,
            ["Store__SupportEmail"] = "support@orderflow-e2e.test",
            ["Store__HelpUrl"] = "http://127.0.0.1/help",
            ["Store__OrderStatusBaseUrl"] = OrderStatusBaseUrl,
            ["Cases__ApproverEmail"] = ApproverEmail,
            ["Approvals__SigningKey"] = "e2e-approvals-signing-key-0123456789abcdef",
            ["Approvals__PublicBaseUrl"] = ApprovalsBaseUrl,
            ["Operations__OperatorKey"] = OperatorKey,
            ["Intake__ShopifyWebhookSecret"] = ShopifySecret,
            ["Intake__FulfillmentCallbackSecret"] = FulfillmentSecret,
            ["Intake__WooCommerceWebhookSecret"] = WooCommerceSecret,
            ["Host__SandboxWarehouse"] = "false",

            // The host runs as Production here but on the sandbox adapters by design; production refuses them unless told.
            ["Adapters__AllowSandboxInProduction"] = "true",

            // Quick retries; confirmation and case deadlines stay long so nothing times out under the tests.
            ["Workflow__ActivityFirstRetryInterval"] = "00:00:01",
            // Every test calls from 127.0.0.1: per-client limits high enough never to refuse a scenario (RateLimitTests sets its own).
            ["RateLimiting__WebhookPermitLimit"] = "1000000",
            ["RateLimiting__ApprovalPermitLimit"] = "100000",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        AddSettings(environment);
        return environment;
    }

    /// <summary>Best effort: the tables and queues of this fixture (app and task hub). Azurite in CI is thrown away anyway.</summary>
    private async Task DeleteStorageAsync()
    {
        var prefixes = new[] { TablePrefix, TaskHubName };
        try
        {
            await foreach (var table in TableService.QueryAsync())
            {
                if (prefixes.Any(p => table.Name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
                {
                    await TableService.DeleteTableAsync(table.Name);
                }
            }

            foreach (var prefix in prefixes)
            {
                await foreach (var queue in QueueService.GetQueuesAsync(prefix: prefix.ToLowerInvariant()))
                {
                    await QueueService.DeleteQueueAsync(queue.Name);
                }
            }
        }
        catch (Azure.RequestFailedException ex)
        {
            Log.Add("test", $"storage clean-up failed: {ex.Message}");
        }
    }
}
