using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrderFlow.Integrations.Accounting;

/// <summary>
/// OAuth 2.0 access tokens for the QuickBooks API: exchanged from the refresh token at Intuit's token endpoint
/// (grant_type=refresh_token, HTTP Basic with the app's client id and secret), cached until shortly before they expire.
/// Each rotated refresh token is persisted (<see cref="QuickBooksRefreshTokenStore"/>) before the access token is used.
/// </summary>
public sealed partial class QuickBooksTokenProvider(
    IHttpClientFactory httpClients,
    QuickBooksRefreshTokenStore store,
    IOptions<QuickBooksOptions> options,
    TimeProvider clock,
    ILogger<QuickBooksTokenProvider> logger) : IDisposable
{
    public const string HttpClientName = "OrderFlow.QuickBooks.OAuth";

    // Renew a little early, so a token never expires between being handed out and reaching QuickBooks.
    private static readonly TimeSpan ExpirySkew = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim gate = new(1, 1);
    private CachedToken? current;

    /// <summary>A valid access token, refreshed when there is none or it is about to expire.</summary>
    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        var token = Volatile.Read(ref current);
        return token is not null && token.ExpiresAt > clock.GetUtcNow()
            ? token.Value
            : await RefreshAsync(token?.Value, cancellationToken);
    }

    /// <summary>
    /// A new access token after QuickBooks rejected <paramref name="rejected"/> (401). Concurrent callers share one
    /// refresh: whoever comes second gets the token the first one obtained.
    /// </summary>
    public async Task<string> RefreshAsync(string? rejected, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var cached = current;
            if (cached is not null && cached.Value != rejected && cached.ExpiresAt > clock.GetUtcNow())
            {
                return cached.Value;
            }

            var settings = options.Value;
            var (refreshToken, version) = await store.GetAsync(settings.RealmId, settings.RefreshToken, cancellationToken);
            var issued = await ExchangeAsync(settings, refreshToken, cancellationToken);
            if (issued.RefreshToken is { Length: > 0 } rotated && (rotated != refreshToken || version is null))
            {
                var stored = await store.SaveAsync(settings.RealmId, settings.RefreshToken, rotated, issued.RefreshTokenExpiresAt, version, cancellationToken);
                LogRotated(settings.RealmId, stored);
            }

            var token = new CachedToken(issued.AccessToken, clock.GetUtcNow() + issued.ExpiresIn - ExpirySkew);
            Volatile.Write(ref current, token);
            return token.Value;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    private async Task<IssuedTokens> ExchangeAsync(QuickBooksOptions settings, string refreshToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.TokenUrl)
        {
            Content = new FormUrlEncodedContent([
                KeyValuePair.Create("grant_type", "refresh_token"),
                KeyValuePair.Create("refresh_token", refreshToken),
            ]),
        };
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.ClientId}:{settings.ClientSecret}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // invalid_grant: the refresh token expired or was revoked; only a new consent (QuickBooks:RefreshToken) helps.
            var error = TryRead(body, "error") ?? "no error code";
            throw new QuickBooksFaultException(
                $"QuickBooks token refresh failed (HTTP {(int)response.StatusCode}, {error}). If the refresh token was revoked or expired, "
                + "reconnect the app to the company and set QuickBooks:RefreshToken to the new refresh token.");
        }

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var accessToken = QuickBooksJson.String(root, "access_token");
        if (string.IsNullOrEmpty(accessToken))
        {
            throw new QuickBooksFaultException("QuickBooks token endpoint answered without an access_token.");
        }

        var expiresIn = TimeSpan.FromSeconds(QuickBooksJson.TryGet(root, "expires_in", out var e) && e.TryGetInt64(out var s) ? s : 3600);
        DateTimeOffset? refreshExpires = QuickBooksJson.TryGet(root, "x_refresh_token_expires_in", out var r) && r.TryGetInt64(out var rs)
            ? clock.GetUtcNow().AddSeconds(rs)
            : null;
        return new IssuedTokens(accessToken, expiresIn, QuickBooksJson.String(root, "refresh_token"), refreshExpires);
    }

    private static string? TryRead(string body, string name)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return QuickBooksJson.String(json.RootElement, name);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "QuickBooks company {RealmId}: refresh token rotated (stored: {Stored})")]
    private partial void LogRotated(string realmId, bool stored);

    private sealed record CachedToken(string Value, DateTimeOffset ExpiresAt);

    private sealed record IssuedTokens(string AccessToken, TimeSpan ExpiresIn, string? RefreshToken, DateTimeOffset? RefreshTokenExpiresAt);
}
