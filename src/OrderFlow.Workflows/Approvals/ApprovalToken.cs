using OrderFlow.Domain.Cases;

namespace OrderFlow.Workflows.Approvals;

/// <summary>What a signed approval link grants: one action on one case, for one approver, until it expires, once.</summary>
public sealed record ApprovalToken(string CaseId, CaseResolution Resolution, string Approver, DateTimeOffset ExpiresAt, string Nonce);
