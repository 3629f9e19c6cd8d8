using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OrderFlow.Soak;

/// <summary>Free loopback ports, picked by the OS.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The soak's own Azurite (npm, scripts/node_modules) on three free ports and a data folder that survives a kill.</summary>
public sealed class AzuriteProcess(string root, string dataFolder, string logFile) : IDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly int blobPort = FreePorts.Next();
    private readonly int queuePort = FreePorts.Next();
    private readonly int tablePort = FreePorts.Next();
    private Process? process;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    public async Task StartAsync()
    {
        var azurite = Path.Combine(root, "scripts", "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"{azurite} is missing: run `npm ci` in scripts/ (scripts/lib.sh install_tools does).");
        }

        Directory.CreateDirectory(dataFolder);
        var info = new ProcessStartInfo(azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--location", dataFolder,
            "--blobHost", "127.0.0.1", "--blobPort", Port(blobPort),
            "--queueHost", "127.0.0.1", "--queuePort", Port(queuePort),
            "--tableHost", "127.0.0.1", "--tablePort", Port(tablePort),
        })
        {
            info.ArgumentList.Add(arg);
        }

        process = ChildLog.Start(info, logFile, null);
        foreach (var port in new[] { blobPort, queuePort, tablePort })
        {
            await ChildLog.WaitForPortAsync(port, TimeSpan.FromSeconds(60), process);
        }
    }

    /// <summary>SIGKILL: whatever Azurite had not written to its data folder is lost, as in a power cut.</summary>
    public void Kill() => ChildLog.Kill(process);

    /// <summary>
    /// SIGTERM: Azurite stops listening at once (every call fails, as in a storage outage) and saves its metadata before
    /// it exits; SIGKILL after 15 s. A SIGKILLed Azurite loses its last seconds of acknowledged writes (its LokiJS
    /// metadata is saved every few seconds), which Azure Storage never does, so the soak's outage uses this.
    /// </summary>
    /// <returns>How it stopped, for the soak's log (a SIGKILL means its last seconds of writes may be lost).</returns>
    public async Task<string> StopAsync()
    {
        if (process is not { HasExited: false })
        {
            return "had already exited";
        }

        var started = Stopwatch.StartNew();

        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(wait.Token);
            return string.Create(CultureInfo.InvariantCulture, $"exited {started.Elapsed.TotalSeconds:F1} s after SIGTERM");
        }
        catch (OperationCanceledException)
        {
            this.Kill();
            return "did not exit within 15 s of SIGTERM: SIGKILLed (its last seconds of writes may be lost)";
        }
    }

    public void Dispose()
    {
        this.Kill();
        process?.Dispose();
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The built one-machine host (src/OrderFlow.Host Release output) as a child process: `dotnet OrderFlow.Host.dll`.</summary>
public sealed class HostProcess(string hostFolder, IReadOnlyDictionary<string, string> environment, string logFile) : IDisposable
{
    private readonly int port = FreePorts.Next();
    private Process? process;
    private int faults;

    public Uri BaseAddress => new($"http://127.0.0.1:{port}");

    /// <summary>"Fault injected" lines the host logged, over every run.</summary>
    public int FaultsInjected => Volatile.Read(ref faults);

    public bool HasExited => process is null || process.HasExited;

    public int Starts { get; private set; }

    public void Start()
    {
        var dll = Path.Combine(hostFolder, "OrderFlow.Host.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build first (dotnet build OrderFlow.sln -c Release).");
        }

        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = hostFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        process?.Dispose();
        process = ChildLog.Start(info, logFile, line =>
        {
            if (line.Contains("Fault injected:", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref faults);
            }
        });
        Starts++;
    }

    /// <summary>Waits until GET /healthz answers 200 (the durable engine runs); false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitHealthyAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var until = Stopwatch.StartNew();
        while (until.Elapsed < timeout && !cancellationToken.IsCancellationRequested)
        {
            if (this.HasExited)
            {
                return false;
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/healthz"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250, cancellationToken);
        }

        return false;
    }

    /// <summary>SIGKILL, no shutdown hooks: the durable engine's leases and dequeued messages stay as they were.</summary>
    public void Kill() => ChildLog.Kill(process);

    public void Dispose()
    {
        this.Kill();
        process?.Dispose();
    }
}

/// <summary>Starts a child with its output appended to a log file (and shown to a line observer).</summary>
internal static class ChildLog
{
    private static readonly Lock Gate = new();

    public static Process Start(ProcessStartInfo info, string logFile, Action<string>? observe)
    {
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        void Write(string? line)
        {
            if (line is null)
            {
                return;
            }

            observe?.Invoke(line);
            lock (Gate)
            {
                File.AppendAllText(logFile, line + Environment.NewLine);
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static void Kill(Process? process)
    {
        try
        {
            if (process is { HasExited: false })
            {
                // Process.Kill sends SIGKILL on Linux.
                process.Kill(entireProcessTree: false);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public static async Task WaitForPortAsync(int port, TimeSpan timeout, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode} before listening on {port}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"Nothing listened on 127.0.0.1:{port} within {timeout.TotalSeconds:0} s.");
    }
}
