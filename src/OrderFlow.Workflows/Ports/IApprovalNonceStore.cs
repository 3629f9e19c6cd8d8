namespace OrderFlow.Workflows.Ports;

/// <summary>Remembers used approval-token nonces, so a link works once.</summary>
public interface IApprovalNonceStore
{
    /// <summary>Records the nonce; false when it was already used (a replay).</summary>
    Task<bool> TryConsumeAsync(string nonce, string caseId, string usedBy, CancellationToken cancellationToken = default);
}
