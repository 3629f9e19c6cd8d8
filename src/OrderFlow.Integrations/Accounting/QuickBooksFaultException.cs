using System.Net;
using System.Text.Json;

namespace OrderFlow.Integrations.Accounting;

/// <summary>
/// QuickBooks refused a request with a Fault (ValidationFault, BusinessValidationFault, AuthenticationFault ...): the
/// message names the fault type and each error's code, message, detail and element, so the case an operator sees says why.
/// </summary>
public sealed class QuickBooksFaultException : Exception
{
    public QuickBooksFaultException()
    {
    }

    public QuickBooksFaultException(string message)
        : base(message)
    {
    }

    public QuickBooksFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private QuickBooksFaultException(string message, string faultType, IReadOnlyList<string> codes, HttpStatusCode status)
        : base(message)
    {
        FaultType = faultType;
        Codes = codes;
        StatusCode = status;
    }

    public string FaultType { get; } = "";

    /// <summary>The error codes (for example "6000" for a business validation error).</summary>
    public IReadOnlyList<string> Codes { get; } = [];

    public HttpStatusCode StatusCode { get; }

    /// <summary>The fault in a QuickBooks answer, if it has one. QuickBooks spells it "Fault" or "fault" depending on the service.</summary>
    public static QuickBooksFaultException? From(JsonElement root, HttpStatusCode status, string operation)
    {
        if (root.ValueKind != JsonValueKind.Object || !QuickBooksJson.TryGet(root, "Fault", out var fault))
        {
            return null;
        }

        var type = QuickBooksJson.String(fault, "type") ?? "Fault";
        var errors = new List<string>();
        var codes = new List<string>();
        if (QuickBooksJson.TryGet(fault, "Error", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var error in list.EnumerateArray())
            {
                var code = QuickBooksJson.String(error, "code") ?? "?";
                codes.Add(code);
                var text = $"[{code}] {QuickBooksJson.String(error, "Message")}";
                if (QuickBooksJson.String(error, "Detail") is { Length: > 0 } detail)
                {
                    text += $": {detail}";
                }

                if (QuickBooksJson.String(error, "element") is { Length: > 0 } element)
                {
                    text += $" (element {element})";
                }

                errors.Add(text);
            }
        }

        var message = $"QuickBooks {type} on {operation} (HTTP {(int)status}): {(errors.Count == 0 ? "no error details" : string.Join("; ", errors))}";
        return new QuickBooksFaultException(message, type, codes, status);
    }
}
