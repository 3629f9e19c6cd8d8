using System.Text.Json.Serialization;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// How a refund ended: <see cref="Result"/> is the provider's last answer (succeeded, or refused when a person gave up),
/// null when no answer was kept (the rounds ran out); <see cref="Key"/> is the idempotency key of that answer.
/// </summary>
public sealed record RefundOutcome(RefundResult? Result, string Key)
{
    [JsonIgnore]
    public bool Succeeded => this.Result is { Succeeded: true };
}
