using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrderFlow.Api.Handlers;

namespace OrderFlow.Api.Options;

/// <summary>
/// The operator key check shared by every operator route (cases API, console, orders and inventory): the
/// X-Operator-Key header compared in constant time with <see cref="OperationsOptions.OperatorKey"/>.
/// </summary>
public static class OperatorKey
{
    public const string Header = "X-Operator-Key";

    /// <summary>True when the request's X-Operator-Key header equals the configured key (constant time; never with an empty key).</summary>
    public static bool Authorized(HttpRequest request, OperationsOptions operations)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Matches(request.Headers[Header].ToString(), operations);
    }

    /// <summary>Constant-time comparison of <paramref name="provided"/> with the configured key (hashed first, so lengths do not leak).</summary>
    public static bool Matches(string? provided, OperationsOptions operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return ConstantTimeKeys.Matches(provided, operations.OperatorKey);
    }

    /// <summary>401 problem+json naming the header.</summary>
    public static IResult Unauthorized() => Problems.Unauthorized($"Missing or wrong {Header}.");

    /// <summary>Marks an endpoint as behind X-Operator-Key, so the OpenAPI description declares the header for it.</summary>
    public static TBuilder RequiresOperatorKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(OperatorKeyRequired.Instance);
}

/// <summary>Endpoint metadata of the routes behind X-Operator-Key (documentation only; the handlers do the check).</summary>
public sealed class OperatorKeyRequired
{
    public static readonly OperatorKeyRequired Instance = new();

    private OperatorKeyRequired()
    {
    }
}
