namespace OrderFlow.Api.Options;

/// <summary>The operations console's credential (section "Operations"). Never logged; checked by <see cref="ApiSecretsValidator"/>.</summary>
public sealed class OperationsOptions
{
    public const string Section = "Operations";

    /// <summary>Sent by operators as the X-Operator-Key header on the operator routes (/api/cases, GET /api/orders/{orderId}, /api/inventory/{sku}).</summary>
    public string OperatorKey { get; set; } = "";
}
