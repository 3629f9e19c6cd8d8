using System.Net.Sockets;

namespace OrderFlow.Integrations.Tests.Infrastructure;

/// <summary>
/// The storage emulator these tests run against. When it is not reachable the tests fail with instructions;
/// they never skip, so a green run always means the adapters talked to real table and queue endpoints.
/// </summary>
public static class Azurite
{
    public const string ConnectionString = "UseDevelopmentStorage=true";

    public static void EnsureReachable()
    {
        foreach (var (service, port) in new[] { ("Queue", 10001), ("Table", 10002) })
        {
            using var client = new TcpClient();
            try
            {
                if (!client.ConnectAsync("127.0.0.1", port).Wait(TimeSpan.FromSeconds(5)))
                {
                    throw new TimeoutException($"connect to 127.0.0.1:{port} timed out");
                }
            }
            catch (Exception ex) when (ex is SocketException or AggregateException or TimeoutException)
            {
                throw new InvalidOperationException(
                    $"Azurite {service} service is not reachable at 127.0.0.1:{port} ({ex.GetBaseException().Message}). " +
                    "These tests need it. Start it with: npm i -g azurite@3.37.0 && " +
                    "azurite --silent --location /tmp/azurite-int --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &",
                    ex);
            }
        }
    }

    /// <summary>A fresh table prefix (letters and digits) so each test class works in its own tables.</summary>
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];
}
