using System.Text;
using Microsoft.AspNetCore.Http;
using OrderFlow.Api.Cases;

namespace OrderFlow.Api.Tests.Infrastructure;

/// <summary>Requests to the operations console as a browser or an API client sends them (https, the console's host).</summary>
public static class ConsoleRequests
{
    public const string ConsoleHost = "console.orderflow.test";

    /// <summary>A request carrying the operator key header and/or the console session cookie.</summary>
    public static HttpRequest Request(string? key, string? cookie = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString(ConsoleHost);
        if (key is not null)
        {
            context.Request.Headers[CasesHandler.KeyHeader] = key;
        }

        if (cookie is not null)
        {
            context.Request.Headers.Cookie = $"{ConsoleHandler.CookieName}={cookie}";
        }

        return context.Request;
    }

    /// <summary>A url-encoded form post with an optional Origin header.</summary>
    public static HttpRequest FormRequest(string? key, string? cookie, string? origin, params (string Name, string Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var request = Request(key, cookie);
        request.Method = "POST";
        request.ContentType = "application/x-www-form-urlencoded";
        var body = string.Join("&", fields.Select(f => $"{Uri.EscapeDataString(f.Name)}={Uri.EscapeDataString(f.Value)}"));
        request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        if (origin is not null)
        {
            request.Headers.Origin = origin;
        }

        return request;
    }
}
