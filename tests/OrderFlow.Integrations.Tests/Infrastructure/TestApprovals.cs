using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Approvals;

namespace OrderFlow.Integrations.Tests.Infrastructure;

/// <summary>Approval link settings and signers for tests.</summary>
public static class TestApprovals
{
    public const string SigningKey = "test-approvals-signing-key-0123456789abcdef";
    public const string PublicBaseUrl = "https://orders.shop.example.com";

    public static ApprovalsOptions Options() => new() { SigningKey = SigningKey, PublicBaseUrl = PublicBaseUrl, LinkLifetime = TimeSpan.FromHours(72) };

    public static ApprovalLinkSigner Signer(TimeProvider? clock = null, string signingKey = SigningKey) =>
        new(Microsoft.Extensions.Options.Options.Create(Options().WithKey(signingKey)), clock ?? TimeProvider.System);

    private static ApprovalsOptions WithKey(this ApprovalsOptions options, string key)
    {
        options.SigningKey = key;
        return options;
    }
}
