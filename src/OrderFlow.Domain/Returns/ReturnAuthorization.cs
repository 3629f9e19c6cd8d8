namespace OrderFlow.Domain.Returns;

/// <summary>The policy's answer to a return request: authorized, or the reasons it is not (one per broken rule).</summary>
public sealed record ReturnAuthorization(bool Authorized, IReadOnlyList<string> Reasons)
{
    public static ReturnAuthorization Granted { get; } = new(true, []);
}
