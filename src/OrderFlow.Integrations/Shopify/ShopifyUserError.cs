namespace OrderFlow.Integrations.Shopify;

/// <summary>One entry of a Shopify mutation's userErrors: code (may be absent), the input path, and the message.</summary>
public sealed record ShopifyUserError(string? Code, IReadOnlyList<string> Field, string Message)
{
    public override string ToString() => $"{Code ?? "ERROR"} at {(Field.Count == 0 ? "input" : string.Join('.', Field))}: {Message}";
}
