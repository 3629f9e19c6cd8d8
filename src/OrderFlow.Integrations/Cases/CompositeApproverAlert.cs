using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Cases;

/// <summary>
/// Alerts through several channels in order. The first (the email) decides success: its failure propagates, so the
/// case is alerted again on retry. Later channels (the chat) handle their own failures and never block the first.
/// </summary>
public sealed class CompositeApproverAlert(IReadOnlyList<IApproverAlert> alerts) : IApproverAlert
{
    public IReadOnlyList<IApproverAlert> Alerts { get; } = alerts ?? throw new ArgumentNullException(nameof(alerts));

    public async Task AlertAsync(ExceptionCase exceptionCase, CancellationToken cancellationToken = default)
    {
        foreach (var alert in Alerts)
        {
            await alert.AlertAsync(exceptionCase, cancellationToken);
        }
    }

    public async Task RemindAsync(ExceptionCase exceptionCase, CancellationToken cancellationToken = default)
    {
        foreach (var alert in Alerts)
        {
            await alert.RemindAsync(exceptionCase, cancellationToken);
        }
    }
}
