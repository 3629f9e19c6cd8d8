using Microsoft.AspNetCore.Http;

namespace OrderFlow.Api.Handlers;

/// <summary>Reads the raw request body once (signatures are computed over the exact bytes), with a size cap.</summary>
public static class RequestBody
{
    /// <summary>The 400 for a body over the cap (<see cref="ReadAsync"/> returned null).</summary>
    public static IResult TooLarge(int maxBytes) => Problems.BadRequest($"Body is larger than {maxBytes} bytes.");

    /// <summary>Returns null when the body exceeds <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
