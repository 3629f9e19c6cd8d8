using System.Buffers.Text;
using System.Text;
using OrderFlow.Domain.Cases;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Approvals;

namespace OrderFlow.Workflows.Tests.Approvals;

public sealed class ApprovalLinkSignerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Verify_IssuedToken_ReturnsItsClaims()
    {
        var signer = TestApprovals.Signer(new ManualClock(Now));

        var token = signer.Issue("case-1", CaseResolution.Approve, "ops@shop.example.com");
        var check = signer.Verify(token, "case-1", CaseResolution.Approve, out var claims);

        Assert.Equal(ApprovalTokenCheck.Valid, check);
        Assert.Equal(("case-1", CaseResolution.Approve, "ops@shop.example.com", Now.AddHours(72)), (claims!.CaseId, claims.Resolution, claims.Approver, claims.ExpiresAt));
        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", token);
    }

    [Fact]
    public void Issue_SameCaseAndAction_UsesAFreshNonceEachTime()
    {
        var signer = TestApprovals.Signer();

        signer.Verify(signer.Issue("case-1", CaseResolution.Cancel, "a@x.test"), out var first);
        signer.Verify(signer.Issue("case-1", CaseResolution.Cancel, "a@x.test"), out var second);

        Assert.NotEqual(first!.Nonce, second!.Nonce);
    }

    [Fact]
    public void Verify_PayloadChangedToAnotherCase_IsBadSignature()
    {
        var signer = TestApprovals.Signer();
        var token = signer.Issue("case-1", CaseResolution.Approve, "a@x.test");
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])).Replace("case-1", "case-2", StringComparison.Ordinal);
        var forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + "." + parts[1];

        Assert.Equal(ApprovalTokenCheck.BadSignature, signer.Verify(forged, out var claims));
        Assert.Null(claims);
    }

    [Fact]
    public void Verify_SignatureCharacterFlipped_IsBadSignature()
    {
        var signer = TestApprovals.Signer();
        var token = signer.Issue("case-1", CaseResolution.Approve, "a@x.test");
        var last = token[^2] == 'A' ? 'B' : 'A';
        var tampered = token[..^2] + last + token[^1];

        Assert.Equal(ApprovalTokenCheck.BadSignature, signer.Verify(tampered, out _));
    }

    [Fact]
    public void Verify_SignedWithAnotherKey_IsBadSignature()
    {
        var other = TestApprovals.Signer(signingKey: "another-signing-key-0123456789abcdefghij");
        var token = other.Issue("case-1", CaseResolution.Approve, "a@x.test");

        Assert.Equal(ApprovalTokenCheck.BadSignature, TestApprovals.Signer().Verify(token, out _));
    }

    [Fact]
    public void Verify_AfterLifetime_IsExpired()
    {
        var clock = new ManualClock(Now);
        var signer = TestApprovals.Signer(clock);
        var token = signer.Issue("case-1", CaseResolution.Approve, "a@x.test");

        clock.Advance(TimeSpan.FromHours(72));

        Assert.Equal(ApprovalTokenCheck.Expired, signer.Verify(token, out _));
    }

    [Fact]
    public void Verify_ExpectingAnotherCase_IsWrongCase()
    {
        var signer = TestApprovals.Signer();
        var token = signer.Issue("case-1", CaseResolution.Approve, "a@x.test");

        Assert.Equal(ApprovalTokenCheck.WrongCase, signer.Verify(token, "case-2", CaseResolution.Approve, out _));
    }

    [Fact]
    public void Verify_ExpectingAnotherAction_IsWrongAction()
    {
        var signer = TestApprovals.Signer();
        var token = signer.Issue("case-1", CaseResolution.Cancel, "a@x.test");

        Assert.Equal(ApprovalTokenCheck.WrongAction, signer.Verify(token, "case-1", CaseResolution.Approve, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    [InlineData("!!!.???")]
    [InlineData(".abc")]
    public void Verify_Garbage_IsMalformedOrBadSignature(string token)
    {
        var check = TestApprovals.Signer().Verify(token, out var claims);

        Assert.Contains(check, new[] { ApprovalTokenCheck.Malformed, ApprovalTokenCheck.BadSignature });
        Assert.Null(claims);
    }

    [Fact]
    public void LinkFor_Token_PointsAtTheApprovalPage()
    {
        var signer = TestApprovals.Signer();

        Assert.Equal($"{TestApprovals.PublicBaseUrl}/api/approvals/abc.def", signer.LinkFor("abc.def"));
    }
}
