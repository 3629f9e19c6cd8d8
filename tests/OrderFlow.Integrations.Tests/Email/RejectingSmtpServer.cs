using System.Net;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Storage;

namespace OrderFlow.Integrations.Tests.Email;

/// <summary>A real SMTP server on a free loopback port that refuses every recipient (550), like a hard bounce.</summary>
public sealed class RejectingSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task running = Task.CompletedTask;

    private RejectingSmtpServer()
    {
    }

    public int Port { get; private set; }

    public static async Task<RejectingSmtpServer> StartAsync()
    {
        var server = new RejectingSmtpServer();
        var listeners = new EndpointListenerFactory();
        var started = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) => started.TrySetResult(e.LocalEndPoint);

        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new RefuseEveryone());

        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)))
            .Build();
        server.running = new SmtpServer.SmtpServer(options, services).StartAsync(server.stop.Token);
        server.Port = ((IPEndPoint)await started.Task.WaitAsync(TimeSpan.FromSeconds(10))).Port;
        return server;
    }

    public async ValueTask DisposeAsync()
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
    }

    private sealed class RefuseEveryone : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox @from, CancellationToken cancellationToken) =>
            Task.FromResult(false);
    }
}
