using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderFlow.Api;
using OrderFlow.Api.Webhooks;
using OrderFlow.Engine;
using OrderFlow.Host;
using OrderFlow.Integrations.Storage;
using OrderFlow.Testing;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Bench;

/// <summary>
/// Scenario "webhook": the one-machine host's real ASP.NET Core pipeline (AddOrderFlowHost + MapOrderFlowEndpoints, on
/// Kestrel at a free loopback port, Tables and Queues on Azurite under a fresh prefix, the chosen engine backend) takes
/// N signed Shopify orders/create deliveries from C closed-loop HTTP clients. Each latency is one POST, from sending the
/// request to reading the whole answer. The workflows the deliveries start run in the same process meanwhile, as on the
/// host (stock seeded through PUT /api/inventory, emails to an in-process SMTP sink, the sandbox warehouse confirms).
/// </summary>
public static class WebhookBench
{
    private const string ShopifySecret = "bench-shopify-webhook-secret";
    private const string OperatorKey = "bench-operator-key-0123456789abcdef0123";
    private const int WarmupDeliveries = 10;

    /// <summary>Runs the scenario; <paramref name="started"/> is called once the host listens. Not OK when a delivery failed; the latencies are one POST each.</summary>
    public static async Task<Figures> RunAsync(BenchOptions options, string prefix, Action started)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(started);
        await using var smtp = await TestSmtpServer.StartAsync();
        var spans = new WebhookSpans();
        using var tableWrites = new TableWriteCounter();
        var app = Build(options, prefix, smtp.Port, spans, tableWrites);
        await app.StartAsync();
        started();
        try
        {
            var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
            await SeedStockAsync(http);

            var template = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "samples", "shopify-order.json")))!.AsObject();
            var runId = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
            var warmup = Enumerable.Range(0, WarmupDeliveries).Select(i => Delivery(template, runId + 900_000 + i)).ToList();
            await Task.WhenAll(warmup.Select(d => PostAsync(http, d)));

            spans.Start();
            tableWrites.Recording = true;
            var count = options.CountFor("webhook");
            var deliveries = Enumerable.Range(0, count).Select(i => Delivery(template, runId + i)).ToList();
            var result = await LoopAsync(http, deliveries, options.Concurrency, options.Budget);
            Print(result, count, options.Concurrency);
            spans.Print(Console.Out);
            tableWrites.Recording = false;
            tableWrites.Print(Console.Out);
            var sorted = result.Samples.Select(s => s.Millis).Order().ToArray();
            var loop = new LoopResult([], result.Elapsed, result.Elapsed * result.Cores, result.BudgetHit, result.LoadBefore, result.LoadAfter);
            return new Figures(result.Errors.Count == 0 && result.Samples.Count == count, result.Samples.Count / result.Elapsed.TotalSeconds, sorted, loop);
        }
        finally
        {
            await app.StopAsync();
            if (options.Backend == DurableEngineBackend.AzureStorage && !options.KeepHub)
            {
                await app.Services.GetRequiredService<DurableEngine>().OrchestrationService.DeleteAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }

            await DeleteStorageAsync(app.Services, prefix);
            await app.DisposeAsync();
        }
    }

    private static WebApplication Build(BenchOptions options, string prefix, int smtpPort, WebhookSpans spans, TableWriteCounter tableWrites)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory });
        // The host's appsettings.json (copied next to the bench) sets log levels per category; the bench shows errors only.
        var logLevel = options.Verbose ? nameof(LogLevel.Warning) : nameof(LogLevel.Error);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = logLevel,
            ["Logging:LogLevel:Microsoft.AspNetCore"] = logLevel,
            ["Logging:LogLevel:DurableTask.Core"] = logLevel,
            ["Logging:LogLevel:DurableTask.AzureStorage"] = logLevel,
            ["Logging:LogLevel:Azure.Core"] = logLevel,
            ["Engine:Backend"] = options.Backend.ToString(),
            ["Engine:TaskHubName"] = prefix,
            ["Engine:WorkerId"] = "bench-webhook-" + Environment.ProcessId,
            ["Engine:StorageConnectionString"] = options.ConnectionString,
            ["Storage:ConnectionString"] = options.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["Adapters:Payment"] = "Sandbox",
            ["Adapters:Carrier"] = "Sandbox",
            ["Adapters:Accounting"] = "Sandbox",
            ["Adapters:Fulfillment"] = "Queue",

            // The bench runs the sandboxes in Production on purpose (the Development environment would add dev-only routes).
            ["Adapters:AllowSandboxInProduction"] = "true",
            ["Host:SandboxWarehouse"] = "true",
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Smtp:FromAddress"] = "orders@orderflow-bench.test",
            ["Smtp:FromName"] = "OrderFlow Bench",
            ["Store:StoreName"] = "OrderFlow Bench",
            ["Store:SupportEmail"] = "support@orderflow-bench.test",
            ["Store:HelpUrl"] = "http://127.0.0.1/help",
            ["Store:OrderStatusBaseUrl"] = "http://127.0.0.1/api/orders",
            ["Cases:ApproverEmail"] = "approver@orderflow-bench.test",
            ["Approvals:SigningKey"] = "bench-approvals-signing-key-0123456789abcdef",
            ["Approvals:PublicBaseUrl"] = "http://127.0.0.1",
            ["Operations:OperatorKey"] = OperatorKey,
            ["Intake:ShopifyWebhookSecret"] = ShopifySecret,
            ["Intake:FulfillmentCallbackSecret"] = "bench-fulfillment-callback-secret",
        });
        if (options.MaxConcurrentActivities is { } activities)
        {
            builder.Configuration["Engine:MaxConcurrentActivities"] = activities.ToString(CultureInfo.InvariantCulture);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(_ => StorageClients.CreateTableService(options.ConnectionString, tableWrites));
        builder.Services.AddOrderFlowHost(builder.Configuration);
        WebhookSpans.Decorate<IDeliveryStore>(builder.Services);
        WebhookSpans.Decorate<IPaymentEventStore>(builder.Services);
        WebhookSpans.Decorate<IPendingCancellationStore>(builder.Services);
        WebhookSpans.Decorate<IWorkflowClient>(builder.Services);

        var app = builder.Build();
        spans.Use(app);
        app.MapOrderFlowEndpoints();
        return app;
    }

    /// <summary>Stock for the sample's SKUs through the operator route, so the started orders can run to fulfillment.</summary>
    private static async Task SeedStockAsync(HttpClient http)
    {
        foreach (var sku in new[] { "SKU-MUG", "SKU-TEE" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/inventory/{sku}")
            {
                Content = new StringContent(new JsonObject { ["title"] = sku, ["locations"] = new JsonObject { ["WH-A"] = 1_000_000 } }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Operator-Key", OperatorKey);
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"PUT /api/inventory/{sku} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    /// <summary>samples/shopify-order.json under its own order id and payment intent, signed as Shopify signs it.</summary>
    private static ShopifyDelivery Delivery(JsonObject template, long orderId)
    {
        var order = template.DeepClone().AsObject();
        order["id"] = orderId;
        order["name"] = $"#B{orderId}";
        order[ShopifyOrderMapper.PaymentIntentField] = $"pi_bench_{orderId}";
        var body = Encoding.UTF8.GetBytes(order.ToJsonString());
        return new ShopifyDelivery(Guid.NewGuid().ToString(), body, ShopifyWebhookVerifier.Sign(body, ShopifySecret));
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, ShopifyDelivery delivery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{ApiRoutes.Prefix}/{ApiRoutes.ShopifyOrdersCreate}")
        {
            Content = new ByteArrayContent(delivery.Body) { Headers = { { "Content-Type", "application/json" } } },
        };
        request.Headers.Add(ShopifyWebhookVerifier.HmacHeader, delivery.Signature);
        request.Headers.Add(ShopifyWebhookVerifier.WebhookIdHeader, delivery.WebhookId);
        request.Headers.Add(ShopifyWebhookVerifier.TopicHeader, "orders/create");
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode;
    }

    private static async Task<WebhookLoopResult> LoopAsync(HttpClient http, IReadOnlyList<ShopifyDelivery> deliveries, int concurrency, TimeSpan budget)
    {
        var samples = new ConcurrentBag<(HttpStatusCode Status, double Millis)>();
        var errors = new ConcurrentBag<string>();
        var next = -1;
        var budgetHit = false;
        var loadBefore = ClosedLoop.LoadAverage();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();

        async Task WorkerAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < deliveries.Count)
            {
                if (clock.Elapsed >= budget)
                {
                    budgetHit = true;
                    return;
                }

                var began = Stopwatch.GetTimestamp();
                try
                {
                    var status = await PostAsync(http, deliveries[i]);
                    samples.Add((status, Stopwatch.GetElapsedTime(began).TotalMilliseconds));
                    if (status != HttpStatusCode.Accepted)
                    {
                        errors.Add($"delivery {i}: {(int)status}");
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    errors.Add($"delivery {i}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, deliveries.Count)).Select(_ => Task.Run(WorkerAsync)));
        var elapsed = clock.Elapsed;
        var cores = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore) / elapsed;
        return new WebhookLoopResult(samples.ToList(), errors.ToList(), elapsed, cores, budgetHit, loadBefore, ClosedLoop.LoadAverage());
    }

    private static void Print(WebhookLoopResult result, int count, int concurrency)
    {
        var sorted = result.Samples.Select(s => s.Millis).Order().ToArray();
        var max = sorted.Length > 0 ? sorted[^1] : 0;
        var accepted = result.Samples.Count(s => s.Status == HttpStatusCode.Accepted);
        Console.WriteLine(FormattableString.Invariant(
            $"webhook   count={result.Samples.Count,-6} elapsed={result.Elapsed.TotalSeconds,6:F2}s rate={result.Samples.Count / result.Elapsed.TotalSeconds,8:F1} req/s    {Percentiles.Format(sorted)} max={max:F1} ms errors={result.Errors.Count} | cpu {result.Cores:F2} cores, load {result.LoadBefore:F1}->{result.LoadAfter:F1} | POST {ApiRoutes.ShopifyOrdersCreate} x{count} at concurrency {concurrency}, {accepted} answered 202{(result.BudgetHit ? " | stopped by the time budget" : string.Empty)}"));
        if (result.Errors.Count > 0)
        {
            Console.WriteLine($"          FAILED: {result.Errors.Count} deliveries not answered 202; first: {result.Errors[0]}");
        }
    }

    /// <summary>Best effort: the run's tables and queues (app prefix; on Azure Storage also the task hub's).</summary>
    private static async Task DeleteStorageAsync(IServiceProvider services, string prefix)
    {
        try
        {
            var tables = services.GetRequiredService<TableServiceClient>();
            await foreach (var table in tables.QueryAsync())
            {
                if (table.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    await tables.DeleteTableAsync(table.Name);
                }
            }

            var queues = services.GetRequiredService<QueueServiceClient>();
            await foreach (var queue in queues.GetQueuesAsync(prefix: prefix.ToLowerInvariant()))
            {
                await queues.DeleteQueueAsync(queue.Name);
            }
        }
        catch (Azure.RequestFailedException ex)
        {
            Console.WriteLine($"          storage clean-up failed: {ex.Message}");
        }
    }

    private sealed record ShopifyDelivery(string WebhookId, byte[] Body, string Signature);

    private sealed record WebhookLoopResult(
        IReadOnlyList<(HttpStatusCode Status, double Millis)> Samples, IReadOnlyList<string> Errors, TimeSpan Elapsed, double Cores, bool BudgetHit, double LoadBefore, double LoadAfter);
}
