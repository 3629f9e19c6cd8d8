using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using OrderFlow.Integrations.Storage;

namespace OrderFlow.Integrations.Accounting;

/// <summary>
/// The newest QuickBooks refresh token per company in the OAuthTokens table (partition "quickbooks", row key = realm id).
/// Intuit rotates refresh tokens, so the one configured at deployment soon stops being the current one. The row also
/// keeps a hash of the configured token it descends from: when an operator configures a different token (a new consent),
/// that one wins over the stored chain.
/// </summary>
public sealed class QuickBooksRefreshTokenStore(OrderFlowTables tables, TimeProvider clock)
{
    public const string PartitionKey = "quickbooks";

    /// <summary>The refresh token to use next, and the row's version to replace it under (null: no usable row yet).</summary>
    public async Task<(string Token, ETag? Version)> GetAsync(string realmId, string configured, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realmId);
        ArgumentException.ThrowIfNullOrWhiteSpace(configured);
        var table = await tables.GetAsync(TableNames.OAuthTokens, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, TableKeys.Encode(realmId), cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value is null)
        {
            return (configured, null);
        }

        var stored = row.Value;
        var token = stored.GetString("RefreshToken");
        return string.IsNullOrEmpty(token) || stored.GetString("SeedHash") != Hash(configured)
            ? (configured, stored.ETag)
            : (token, stored.ETag);
    }

    /// <summary>
    /// Stores the token Intuit just issued. Returns false when another instance stored one since <paramref name="version"/>
    /// was read: theirs is as new as ours, so it is kept.
    /// </summary>
    public async Task<bool> SaveAsync(string realmId, string configured, string refreshToken, DateTimeOffset? expiresAt, ETag? version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(refreshToken);
        var table = await tables.GetAsync(TableNames.OAuthTokens, cancellationToken);
        var entity = new TableEntity(PartitionKey, TableKeys.Encode(realmId))
        {
            ["RefreshToken"] = refreshToken,
            ["SeedHash"] = Hash(configured),
            ["ExpiresAt"] = expiresAt,
            ["UpdatedAt"] = clock.GetUtcNow(),
        };

        try
        {
            if (version is { } etag)
            {
                await table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken);
            }
            else
            {
                await table.AddEntityAsync(entity, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex) || StorageErrors.IsPreconditionFailed(ex))
        {
            return false;
        }
    }

    private static string Hash(string configured) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
}
