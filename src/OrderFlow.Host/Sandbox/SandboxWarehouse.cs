using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using OrderFlow.Host.Configuration;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Integrations.Storage;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Host.Sandbox;

/// <summary>
/// Local demo stand-in for a warehouse (Host:SandboxWarehouse = true): takes pick lists off the location queues and
/// confirms each fulfillment as shipped, so an order completes with nobody at a packing bench. Off in production.
/// </summary>
public sealed partial class SandboxWarehouse(
    IOptions<HostSettings> settings,
    IOptions<StorageOptions> storage,
    QueueServiceClient queues,
    IWorkflowClient workflows,
    TimeProvider clock,
    ILogger<SandboxWarehouse> logger) : BackgroundService
{
    /// <summary>
    /// How long pick lists the sandbox took stay hidden: confirming one takes well under a second, so a host killed (or
    /// a call that failed) while holding them hands them back after this, not after the queue's usual 30 s.
    /// </summary>
    public static readonly TimeSpan PickListVisibility = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Value.SandboxWarehouse)
        {
            return;
        }

        LogEnabled(logger, settings.Value.SandboxWarehouseDelay);
        var prefix = QueueNames.PickList(storage.Value.TablePrefix, "x")[..^1];
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var queue in queues.GetQueuesAsync(prefix: prefix, cancellationToken: stoppingToken))
                {
                    await DrainAsync(queues.GetQueueClient(queue.Name), stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(logger, ex);
            }

            await Task.Delay(settings.Value.SandboxWarehouseDelay, clock, stoppingToken);
        }
    }

    private async Task DrainAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        var messages = await queue.ReceiveMessagesAsync(maxMessages: 16, visibilityTimeout: PickListVisibility, cancellationToken: cancellationToken);
        foreach (var message in messages.Value)
        {
            var pickList = JsonSerializer.Deserialize<PickListMessage>(message.Body.ToString(), IntegrationJson.Options);
            if (pickList is not null && await workflows.GetStatusAsync(pickList.OrderId, cancellationToken) is { IsTerminal: false })
            {
                // A cancel message (same queue, kind "cancel") is confirmed as cancelled: the sandbox never ships late.
                var status = pickList.Kind == PickListMessage.CancelKind ? FulfillmentConfirmation.Cancelled : FulfillmentConfirmation.Shipped;
                await workflows.RaiseConfirmationAsync(
                    pickList.OrderId,
                    new FulfillmentConfirmation(pickList.FulfillmentId, status, clock.GetUtcNow(), "sandbox warehouse"),
                    cancellationToken);
                LogConfirmed(logger, pickList.OrderId, pickList.FulfillmentId);
            }

            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Sandbox warehouse is ON: pick lists are confirmed as shipped after {Delay}. Never enable this in production.")]
    private static partial void LogEnabled(ILogger logger, TimeSpan delay);

    [LoggerMessage(LogLevel.Information, "Sandbox warehouse shipped {FulfillmentId} of order {OrderId}")]
    private static partial void LogConfirmed(ILogger logger, string orderId, string fulfillmentId);

    [LoggerMessage(LogLevel.Warning, "Sandbox warehouse could not poll the pick-list queues")]
    private static partial void LogPollFailed(ILogger logger, Exception ex);
}
