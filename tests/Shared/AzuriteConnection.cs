using System.Net.Sockets;
using Xunit;

namespace OrderFlow.Testing;

/// <summary>
/// The storage every Azurite-backed test uses: AZURITE_CONNECTION, or local Azurite at the default ports.
/// Tests fail, never skip, when it cannot be reached. One source file, linked into each test project that needs it.
/// </summary>
internal static class AzuriteConnection
{
    public static string ConnectionString
        => Environment.GetEnvironmentVariable("AZURITE_CONNECTION") is { Length: > 0 } configured ? configured : "UseDevelopmentStorage=true";

    public static async Task EnsureReachableAsync()
    {
        foreach ((string service, Uri endpoint) in Endpoints(ConnectionString))
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                Assert.Fail(
                    $"Azurite {service} endpoint {endpoint} is not reachable ({ex.Message}). These tests need Azurite: " +
                    "scripts/test.sh starts it, or run 'azurite --silent --location <fresh dir> --blobHost 127.0.0.1 --queueHost 127.0.0.1 " +
                    "--tableHost 127.0.0.1', or set AZURITE_CONNECTION to a reachable storage connection string.");
            }
        }
    }

    private static IEnumerable<(string Service, Uri Endpoint)> Endpoints(string connectionString)
    {
        var settings = connectionString
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);

        if (settings.TryGetValue("UseDevelopmentStorage", out string? development) && bool.TryParse(development, out bool useDevelopment) && useDevelopment)
        {
            yield return ("blob", new Uri("http://127.0.0.1:10000"));
            yield return ("queue", new Uri("http://127.0.0.1:10001"));
            yield return ("table", new Uri("http://127.0.0.1:10002"));
            yield break;
        }

        foreach (string service in new[] { "Blob", "Queue", "Table" })
        {
            if (settings.TryGetValue(service + "Endpoint", out string? endpoint))
            {
                yield return (service.ToLowerInvariant(), new Uri(endpoint));
            }
        }
    }
}
