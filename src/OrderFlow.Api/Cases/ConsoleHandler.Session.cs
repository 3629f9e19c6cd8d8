using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrderFlow.Api.Options;

namespace OrderFlow.Api.Cases;

/// <summary>The console's sign-in: the login form, the session cookie (an expiring HMAC made with the operator key), and the checks every console form post passes.</summary>
public sealed partial class ConsoleHandler
{
    public IResult GetLogin() => LoginPage(null, StatusCodes.Status200OK);

    public async Task<IResult> PostLoginAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!SameOrigin(request, required: false))
        {
            return Message("Refused", "The form was not posted from this site.", StatusCodes.Status403Forbidden);
        }

        var form = await ReadFormAsync(request, cancellationToken);
        var key = form?["key"].ToString() ?? string.Empty;
        if (!KeyMatches(key))
        {
            LogLoginRefused();
            return LoginPage("Wrong operator key.", StatusCodes.Status401Unauthorized);
        }

        var expires = clock.GetUtcNow() + SessionLifetime;
        return new CookieRedirect(BasePath, CookieName, SessionValue(expires.ToUnixTimeSeconds()), SessionCookie(request, expires));
    }

    /// <summary>
    /// Signs out: expires the session cookie in the browser and sends it to the sign-in form. Only from the console's own
    /// origin, so another site cannot sign an operator out.
    /// </summary>
    public IResult PostLogout(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!SameOrigin(request, required: true))
        {
            return Message("Refused", "The form was not posted from this site.", StatusCodes.Status403Forbidden);
        }

        return new CookieRedirect(LoginPath, CookieName, string.Empty, SessionCookie(request, DateTimeOffset.UnixEpoch));
    }

    /// <summary>
    /// HttpOnly, SameSite=Strict, scoped to the console; Secure when the request came over https (behind a TLS proxy the
    /// host's forwarded-headers middleware makes X-Forwarded-Proto count, from the configured proxies only).
    /// </summary>
    private static CookieOptions SessionCookie(HttpRequest request, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = BasePath,
        Expires = expires,
    };

    // ---- pages ----------------------------------------------------------------------------------------------------

    public async Task<IResult> HomeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!Authorized(request))
        {
            return Results.Redirect(LoginPath);
        }

        var open = await cases.ListOpenAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var page = Page("Operations console");
        page.Paragraph($"{open.Count} open case(s), oldest first.");
        if (open.Count > 0)
        {
            var counts = new StringBuilder("<table><tr><th>reason</th><th>open</th></tr>");
            foreach (var group in open.GroupBy(c => c.Reason.ToString(), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                counts.Append("<tr><td>").Append(E(group.Key)).Append("</td><td>").Append(group.Count()).Append("</td></tr>");
            }

            page.Heading("By reason").Markup(counts.Append("</table>").ToString());
        }

        page.Heading("Open cases");
        foreach (var c in open)
        {
            page.Markup(ConsoleCaseView.Block(c, now));
        }

        page.Markup(PickPackHandler.LocationLinks(routing?.Value));
        return page;
    }

    private static HtmlPage LoginPage(string? error, int status)
    {
        var page = new HtmlPage("Operations console: sign in", status) { ReferrerPolicy = "same-origin" };
        if (error is not null)
        {
            page.Paragraph(error, "note");
        }

        return page.Markup(
            $"<form method=\"post\" action=\"{LoginPath}\"><p><label for=\"key\">Operator key</label><br>" +
            "<input type=\"password\" id=\"key\" name=\"key\" autocomplete=\"current-password\" size=\"50\" required></p>" +
            "<p><button type=\"submit\">Sign in</button></p></form>");
    }

    /// <summary>
    /// The answer refusing a console form post that is not signed in (401) or, cookie-authenticated, not from this
    /// console's origin (403); null when the post may proceed.
    /// </summary>
    internal HtmlPage? RefuseFormPost(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Authorized(request))
        {
            return Message("Not signed in", "Sign in to the console first.", StatusCodes.Status401Unauthorized);
        }

        // A header-authenticated client cannot be a forged cross-site form; a cookie-authenticated post must be same-origin.
        return !HasKeyHeader(request) && !SameOrigin(request, required: true)
            ? Message("Refused", "The form was not posted from this console.", StatusCodes.Status403Forbidden)
            : null;
    }

    /// <summary>
    /// The post comes from this very site: its Origin (or, without one, its Referer) names this request's scheme and host
    /// (an http page of the same host is another origin).
    /// Without either header the post passes only when <paramref name="required"/> is false.
    /// </summary>
    private static bool SameOrigin(HttpRequest request, bool required)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            origin = request.Headers.Referer.ToString();
        }

        if (string.IsNullOrEmpty(origin))
        {
            return !required;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static bool HasKeyHeader(HttpRequest request) => !string.IsNullOrEmpty(request.Headers[CasesHandler.KeyHeader].ToString());

    /// <summary>The X-Operator-Key header, or else an unexpired session cookie made with the key.</summary>
    internal bool Authorized(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HasKeyHeader(request))
        {
            return KeyMatches(request.Headers[CasesHandler.KeyHeader].ToString());
        }

        var cookie = request.Cookies[CookieName];
        if (string.IsNullOrEmpty(cookie) || string.IsNullOrEmpty(operations.Value.OperatorKey))
        {
            return false;
        }

        var dot = cookie.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(cookie.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires <= clock.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(SessionValue(expires)));
    }

    private bool KeyMatches(string provided) => OperatorKey.Matches(provided, operations.Value);

    /// <summary>"expiry.HMAC-SHA256(operator key, 'orderflow-console|expiry')": proves the key was presented, does not contain it.</summary>
    private string SessionValue(long expiresUnixSeconds)
    {
        var expires = expiresUnixSeconds.ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(operations.Value.OperatorKey), Encoding.UTF8.GetBytes("orderflow-console|" + expires));
        return expires + "." + Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console sign-in refused: wrong operator key")]
    private partial void LogLoginRefused();

    /// <summary>Sets the session cookie and sends the browser on with 303 See Other.</summary>
    public sealed class CookieRedirect(string location, string name, string value, CookieOptions options) : IResult
    {
        public string Location => location;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.Cookies.Append(name, value, options);
            httpContext.Response.Headers.CacheControl = "no-store";
            httpContext.Response.Redirect(location);
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            return Task.CompletedTask;
        }
    }
}
