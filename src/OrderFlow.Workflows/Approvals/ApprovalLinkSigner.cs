using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Cases;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Approvals;

/// <summary>
/// Issues and verifies approval tokens: base64url(JSON payload) + "." + base64url(HMAC-SHA256(key, payload)).
/// The payload binds case id, action, approver, expiry and a random nonce (consumed on use, see
/// <see cref="IApprovalNonceStore"/>). Verification compares in constant time and rejects anything it cannot read.
/// </summary>
public sealed class ApprovalLinkSigner(IOptions<ApprovalsOptions> options, TimeProvider clock)
{
    /// <summary>The route of the approval page, below the "api" prefix both hosts share.</summary>
    public const string PagePath = "/api/approvals/";

    private const int MaxTokenChars = 4096;

    private ApprovalsOptions Options => options.Value;

    public string Issue(string caseId, CaseResolution resolution, string approver)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        ArgumentException.ThrowIfNullOrWhiteSpace(approver);
        var token = new ApprovalToken(
            caseId,
            resolution,
            approver,
            clock.GetUtcNow().Add(Options.LinkLifetime),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));
        return Encode(token);
    }

    /// <summary>The absolute link to the approval page for a token.</summary>
    public string LinkFor(string token) => Options.PublicBaseUrl.TrimEnd('/') + PagePath + token;

    /// <summary>Checks signature and expiry only; <paramref name="token"/> is set when the signature holds.</summary>
    public ApprovalTokenCheck Verify(string? value, out ApprovalToken? token)
    {
        token = null;
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxTokenChars)
        {
            return ApprovalTokenCheck.Malformed;
        }

        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == value.Length - 1 || value.IndexOf('.', dot + 1) >= 0)
        {
            return ApprovalTokenCheck.Malformed;
        }

        byte[] payload;
        byte[] signature;
        try
        {
            payload = Base64Url.DecodeFromChars(value.AsSpan(0, dot));
            signature = Base64Url.DecodeFromChars(value.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return ApprovalTokenCheck.Malformed;
        }

        if (!CryptographicOperations.FixedTimeEquals(Mac(payload), signature))
        {
            return ApprovalTokenCheck.BadSignature;
        }

        try
        {
            token = JsonSerializer.Deserialize<ApprovalToken>(payload, Json);
        }
        catch (JsonException)
        {
            return ApprovalTokenCheck.Malformed;
        }

        if (token is null || string.IsNullOrWhiteSpace(token.CaseId) || string.IsNullOrWhiteSpace(token.Nonce) || !Enum.IsDefined(token.Resolution))
        {
            token = null;
            return ApprovalTokenCheck.Malformed;
        }

        return clock.GetUtcNow() >= token.ExpiresAt ? ApprovalTokenCheck.Expired : ApprovalTokenCheck.Valid;
    }

    /// <summary>Signature, expiry, and the binding to the case and action the caller expects.</summary>
    public ApprovalTokenCheck Verify(string? value, string caseId, CaseResolution resolution, out ApprovalToken? token)
    {
        var check = Verify(value, out token);
        if (check != ApprovalTokenCheck.Valid)
        {
            return check;
        }

        if (!string.Equals(token!.CaseId, caseId, StringComparison.Ordinal))
        {
            return ApprovalTokenCheck.WrongCase;
        }

        return token.Resolution == resolution ? ApprovalTokenCheck.Valid : ApprovalTokenCheck.WrongAction;
    }

    internal string Encode(ApprovalToken token)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(token, Json);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(Mac(payload));
    }

    private byte[] Mac(byte[] payload) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(Options.SigningKey), payload);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
