using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Email;

/// <summary>A made-up order and the notification that renders one template (previews, template tests).</summary>
public sealed record SampleNotification(OrderRecord Record, CustomerNotification Notification);
