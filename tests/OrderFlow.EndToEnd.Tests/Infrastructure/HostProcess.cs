using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One OrderFlow.Host child process: `dotnet OrderFlow.Host.dll --urls http://127.0.0.1:{free port}`, started in the
/// host's build output folder (so its appsettings.json applies), with its output captured into a <see cref="HostLog"/>.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    /// <summary>Configuration sections the tests own: inherited values for these never reach the child.</summary>
    private static readonly string[] OwnedPrefixes =
        ["Engine__", "Storage__", "Smtp__", "Store__", "Cases__", "Intake__", "Workflow__", "Host__", "Adapters__", "Stripe__", "Fraud__", "RateLimiting__", "Retention__", "ForwardedHeaders__", "Logging__", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "URLS"];

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process process;
    private readonly HostLog log;

    private HostProcess(Process process, Uri baseAddress, HostLog log)
    {
        this.process = process;
        this.log = log;
        BaseAddress = baseAddress;
        ProcessId = process.Id;
    }

    public Uri BaseAddress { get; }

    public int ProcessId { get; }

    /// <summary>Set once the process is gone (137 after a kill on Linux).</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Starts the host and returns once GET /healthz answers 200; throws with the host's output otherwise.</summary>
    public static async Task<HostProcess> StartAsync(string name, IReadOnlyDictionary<string, string> environment, HostLog log)
    {
        var dll = HostBuildOutput.HostDllPath();
        var baseAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
        var info = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));

        foreach (var inherited in info.Environment.Keys.Where(k => OwnedPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            info.Environment.Remove(inherited);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Add(name, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Add(name + " err", e.Data); };
        var mark = log.Mark;
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {info.FileName} {dll}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log.Add("test", $"started {name} (pid {process.Id}) at {baseAddress}");

        var host = new HostProcess(process, baseAddress, log);
        try
        {
            await host.WaitUntilHealthyAsync();
        }
        catch (Exception ex)
        {
            await host.KillAsync();
            throw new InvalidOperationException(
                $"Host {name} did not become healthy at {baseAddress}healthz: {ex.Message}{Environment.NewLine}--- host output ---{Environment.NewLine}{log.Since(mark)}",
                ex);
        }

        return host;
    }

    /// <summary>Kills the process and all its children at once: no graceful shutdown, like a crash or a pulled plug.</summary>
    public async Task KillAsync()
    {
        if (ExitCode is not null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        ExitCode = process.ExitCode;
        log.Add("test", $"host pid {ProcessId} exited with code {ExitCode}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            process.Dispose();
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        var last = "no answer yet";
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the process exited with code {process.ExitCode} before it was healthy");
            }

            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"not healthy within {StartTimeout} (last: {last})");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The dotnet muxer running these tests, so the host runs on the same SDK/runtime install.</summary>
    private static string DotnetExecutable()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? current
            : "dotnet";
    }
}
