namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>An order line as GET /api/orders/{orderId} shows it.</summary>
public sealed record OrderLineResponse(string LineId, string Sku, string Title, int Quantity, MoneyResponse UnitPrice);
