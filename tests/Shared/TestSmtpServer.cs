using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace OrderFlow.Testing;

/// <summary>
/// A real SMTP server in the test process on a free loopback port. Messages are parsed with MimeKit and kept in
/// memory; the server answers 250 only after storing, so a completed send is already visible here. One source file,
/// linked into each test project that needs it.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly CapturingStore store = new();
    private CancellationTokenSource stop = new();
    private Task running = Task.CompletedTask;

    private TestSmtpServer()
    {
    }

    public int Port { get; private set; }

    public IReadOnlyList<MimeMessage> Messages => store.Messages.ToList();

    public static async Task<TestSmtpServer> StartAsync()
    {
        var server = new TestSmtpServer();
        await server.ListenAsync(0);
        return server;
    }

    /// <summary>Stops listening (an outage: connections are refused); messages received so far stay.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
        stop = new CancellationTokenSource();
        running = Task.CompletedTask;
    }

    /// <summary>Listens again on the same port after <see cref="StopAsync"/>.</summary>
    public Task RestartAsync() => ListenAsync(Port);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
    }

    private async Task ListenAsync(int port)
    {
        var listeners = new EndpointListenerFactory();
        var started = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) => started.TrySetResult(e.LocalEndPoint);

        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(store);

        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        running = new SmtpServer.SmtpServer(options, services).StartAsync(stop.Token);

        // Port 0 lets the OS pick a free port; the listener reports the one it bound.
        var bound = await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Port = ((IPEndPoint)bound).Port;
    }

    private sealed class CapturingStore : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
