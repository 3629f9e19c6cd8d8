using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using OrderFlow.Bench;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;

// Throughput and latency figures of the in-process durable engine. Bounded: N per scenario, S seconds per scenario.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    if (ex.Message.Length > 0)
    {
        Console.Error.WriteLine(ex.Message);
    }

    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var webhook = options.Scenarios.Contains(BenchOptions.WebhookScenario);
var actions = options.Scenarios.Contains(BenchOptions.ActionsScenario);
var table = options.Scenarios.Contains(BenchOptions.TableScenario);
var memory = options.Scenarios.Contains(BenchOptions.MemoryScenario);
string[] ownRuns = [BenchOptions.WebhookScenario, BenchOptions.ActionsScenario, BenchOptions.TableScenario, BenchOptions.MemoryScenario];
var engineScenarios = options.Scenarios.Where(s => !ownRuns.Contains(s)).ToList();
if ((options.Backend == DurableEngineBackend.AzureStorage || webhook || actions || table) && await BenchHost.CheckStorageReachableAsync(options.ConnectionString) is { } unreachable)
{
    Console.Error.WriteLine($"{(table ? "Targets scenario (persistent engine, webhook storage)" : webhook ? "Webhook scenario (host storage)" : actions ? "Actions scenario (Azure Storage histories)" : "Azure Storage backend")}: {unreachable}.");
    Console.Error.WriteLine("Start Azurite on 127.0.0.1 (e.g. scripts/node_modules/.bin/azurite --silent --location /tmp/az-bench --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &) or pass --connection.");
    return 2;
}

var hub = BenchHost.NewTaskHubName();
Console.WriteLine(
    $"OrderFlow bench {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm}Z | backend {options.Backend}{(options.Backend == DurableEngineBackend.AzureStorage ? $" (task hub {hub})" : string.Empty)} | " +
    $"N={(options.Count is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "default")} concurrency={options.Concurrency} budget={options.Budget.TotalSeconds:F0}s/scenario order-SKUs={options.OrderSkus}{(options.Backend == DurableEngineBackend.AzureStorage ? $" poll={options.StatusPollingInterval.TotalMilliseconds:F0}ms" : string.Empty)} | " +
    $"{(options.EngineSettings.Length > 0 ? options.EngineSettings + " | " : string.Empty)}{Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, load {ClosedLoop.LoadAverage():F1}");

var total = Stopwatch.StartNew();
var startup = Stopwatch.StartNew();
var ok = true;
if (actions)
{
    // Revision 7 (before the cuts of revision 8), the one --revision names (when it names an earlier one) and the current one, side by side.
    var revisions = new[] { OrderWorkflowVersions.CapturesOnceWithoutMulticapture, options.Revision, OrderWorkflowVersions.Current }.Distinct().Order().ToList();
    try
    {
        ok &= await ActionCount.RunAsync(options, BenchHost.NewTaskHubName(), revisions);
    }
    catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
    {
        Console.WriteLine($"{BenchOptions.ActionsScenario,-9} FAILED: {ex.Message}");
        ok = false;
    }

    Console.WriteLine($"{BenchOptions.ActionsScenario,-9} peak working set {BenchHost.PeakWorkingSetMegabytes()} MB");
}

if (engineScenarios.Count > 0)
{
    await using var host = await BenchHost.StartAsync(options, hub, Scenarios.OrderSkuNames(options.OrderSkus));
    Console.WriteLine($"engine started in {startup.Elapsed.TotalSeconds:F2}s");
    var scenarios = new Scenarios(host, options);
    foreach (var scenario in engineScenarios)
    {
        try
        {
            ok &= scenario == HotSplitScenario.Name ? await HotSplitScenario.RunAsync(host, options) : (scenario switch
            {
                "engine" => await scenarios.EngineAsync(),
                BenchOptions.EngineLimitScenario => await scenarios.EngineLimitAsync(),
                "entity" => await scenarios.EntityAsync(hot: false),
                "hot-sku" => await scenarios.EntityAsync(hot: true),
                "orders" => await scenarios.OrdersAsync(),
                _ => throw new InvalidOperationException($"Unknown scenario {scenario}."),
            }).Ok;
            Console.WriteLine($"{scenario,-9} peak working set {BenchHost.PeakWorkingSetMegabytes()} MB (process, so far)");
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            // A setup or check instance did not finish: the engine is not making progress, so the rest would only wait too.
            Console.WriteLine($"{scenario,-9} FAILED: {ex.Message}");
            ok = false;
            break;
        }
    }

    Console.Write($"stopping engine{(options.Backend == DurableEngineBackend.AzureStorage && !options.KeepHub ? " and deleting the task hub" : string.Empty)}... ");
}

if (webhook)
{
    // Its own host (the real ASP.NET Core pipeline) under a fresh task hub and storage prefix.
    var webhookHub = BenchHost.NewTaskHubName();
    var hostStartup = Stopwatch.StartNew();
    try
    {
        ok &= (await WebhookBench.RunAsync(options, webhookHub, () => Console.WriteLine($"host started in {hostStartup.Elapsed.TotalSeconds:F2}s (storage prefix {webhookHub})"))).Ok;
        Console.WriteLine($"{BenchOptions.WebhookScenario,-9} peak working set {BenchHost.PeakWorkingSetMegabytes()} MB (process, so far)");
    }
    catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException or Microsoft.Extensions.Options.OptionsValidationException)
    {
        Console.WriteLine($"{BenchOptions.WebhookScenario,-9} FAILED: {ex.Message}");
        ok = false;
    }
}

if (memory)
{
    ok &= await MemoryRun.RunAsync(options, BenchHost.NewTaskHubName());
}

if (table)
{
    ok &= await TargetsRun.RunAsync(options);
}

Console.WriteLine($"done in {total.Elapsed.TotalSeconds:F1}s total, peak working set {BenchHost.PeakWorkingSetMegabytes()} MB: {(ok ? "OK" : "FAILED")}");
return ok ? 0 : 1;
