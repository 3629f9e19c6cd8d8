using System.Net;
using System.Net.Sockets;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>HTTP clients whose connections leave from a chosen loopback address, so the host sees different callers.</summary>
public static class LoopbackClient
{
    /// <summary>A client of <paramref name="baseAddress"/> connecting from <paramref name="sourceAddress"/> (any 127.x address is loopback on Linux).</summary>
    public static HttpClient From(Uri baseAddress, string sourceAddress, bool allowAutoRedirect = true)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = allowAutoRedirect,
            UseCookies = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(sourceAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }
}
