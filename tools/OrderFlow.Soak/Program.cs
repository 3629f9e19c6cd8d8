using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OrderFlow.Soak;
using OrderFlow.Testing;

// Crash-restart soak of the one-machine host (docs/pending/soak.md). Exit 0: every invariant held; 1: one failed; 2: usage or set-up error.
SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var root = FindRoot();
var work = Path.Combine(Path.GetTempPath(), $"orderflow-soak-{options.Seed}-{Environment.ProcessId}");
Directory.CreateDirectory(work);
Console.WriteLine(FormattableString.Invariant($"soak: {options.Minutes} min, rate {options.Rate}/s, seed {options.Seed}, work folder {work}"));

await using var smtp = await TestSmtpServer.StartAsync();
using var azurite = new AzuriteProcess(root, Path.Combine(work, "azurite"), Path.Combine(work, "azurite.log"));
var run = new SoakRun(options, root, work, smtp, azurite);
int exit;
try
{
    await azurite.StartAsync();
    exit = await run.RunAsync();
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
{
    Console.Error.WriteLine($"soak: set-up failed: {ex.Message}");
    exit = 2;
}
finally
{
    run.Dispose();
    azurite.Kill();
}

if (exit == 0 && !options.KeepData)
{
    TryDelete(work);
}
else
{
    Console.WriteLine($"soak: logs and data kept in {work}");
}

return exit;

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "OrderFlow.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("OrderFlow.sln not found above the soak's folder.");
}

static void TryDelete(string folder)
{
    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (IOException)
    {
    }
}
