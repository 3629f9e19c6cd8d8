namespace OrderFlow.Integrations.Email.Templates;

/// <summary>A product and a quantity (parcel contents, backordered, returned or refunded items).</summary>
public sealed record ItemModel(string Title, int Quantity);
