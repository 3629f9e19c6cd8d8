using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OrderFlow.Host;

/// <summary>
/// One log line per request with the credentials in its URL redacted: the approval token (/api/approvals/{token}) and the
/// status link's signature (sig=). ASP.NET Core's own request lines (category Microsoft.AspNetCore.Hosting.Diagnostics)
/// carry the full URL, so the host keeps that category at Warning (<see cref="SuppressUnredactedRequestLines"/>).
/// </summary>
public static partial class RequestLog
{
    public const string Category = "OrderFlow.Host.Requests";
    public const string Redacted = "[redacted]";
    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>A rule added after configuration is bound, so even Logging:LogLevel:Microsoft.AspNetCore=Information leaves it off.</summary>
    public static IServiceCollection SuppressUnredactedRequestLines(this IServiceCollection services) =>
        services.PostConfigure<LoggerFilterOptions>(options => options.Rules.Add(new LoggerFilterRule(null, HostingDiagnostics, LogLevel.Warning, null)));

    /// <summary>Logs method, redacted path and query, status and duration of every request at Information.</summary>
    public static IApplicationBuilder UseRedactedRequestLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    LogRequest(logger, context.Request.Method, Redact(context.Request.Path + context.Request.QueryString.ToString()), context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        });
    }

    /// <summary>The path and query with the approval token and any sig= value replaced by <see cref="Redacted"/>.</summary>
    public static string Redact(string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var redacted = ApprovalToken().Replace(pathAndQuery, "$1" + Redacted);
        return Signature().Replace(redacted, "$1" + Redacted);
    }

    [GeneratedRegex("(/approvals/)[^/?#]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ApprovalToken();

    [GeneratedRegex("([?&](?:sig|token)=)[^&#]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Signature();

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Path} answered {StatusCode} in {ElapsedMs:F1} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, int statusCode, double elapsedMs);
}
