using System.Net.Sockets;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The storage account the host and the tests share: AZURITE_CONNECTION, or local Azurite at its default ports.
/// When it cannot be reached the tests fail with instructions; they never skip.
/// </summary>
public static class AzuriteEnvironment
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("AZURITE_CONNECTION") is { Length: > 0 } configured ? configured : "UseDevelopmentStorage=true";

    public static async Task EnsureReachableAsync()
    {
        foreach (var (service, endpoint) in Endpoints(ConnectionString))
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                throw new InvalidOperationException(
                    $"Azurite {service} endpoint {endpoint} is not reachable ({ex.Message}). The end-to-end tests need it: " +
                    "scripts/test.sh starts it, or run 'scripts/node_modules/.bin/azurite --silent --location /tmp/az-e2e " +
                    "--blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &', or set AZURITE_CONNECTION to a reachable " +
                    "storage connection string.",
                    ex);
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
