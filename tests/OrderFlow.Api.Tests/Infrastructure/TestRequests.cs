using System.Text;
using Microsoft.AspNetCore.Http;

namespace OrderFlow.Api.Tests.Infrastructure;

/// <summary>Inbound requests for handler tests.</summary>
public static class TestRequests
{
    /// <summary>A JSON POST with the body as given and one header (left off when <paramref name="value"/> is null).</summary>
    public static HttpRequest JsonPost(string body, string header, string? value)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        if (value is not null)
        {
            context.Request.Headers[header] = value;
        }

        return context.Request;
    }
}
