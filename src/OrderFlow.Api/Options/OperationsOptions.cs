using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Api.Options;

/// <summary>The operations console's credential (section "Operations"). Never logged.</summary>
public sealed class OperationsOptions
{
    public const string Section = "Operations";

    /// <summary>Sent by operators as the X-Operator-Key header on the operator routes (/api/cases, GET /api/orders/{orderId}, /api/inventory/{sku}).</summary>
    [Required(ErrorMessage = "Operations:OperatorKey is required (the X-Operator-Key of the cases API).")]
    [MinLength(32, ErrorMessage = "Operations:OperatorKey must be at least 32 characters.")]
    public string OperatorKey { get; set; } = "";
}
