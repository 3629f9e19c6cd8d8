namespace OrderFlow.Api.Webhooks;

/// <summary>What <see cref="CallbackSignature.Verify"/> found: the index of the secret that matched, or why it refused.</summary>
public readonly record struct CallbackVerification(int SecretIndex, string? Failure)
{
    public bool IsValid => Failure is null;

    public static CallbackVerification Valid(int secretIndex) => new(secretIndex, null);

    public static CallbackVerification Refused(string failure) => new(-1, failure);
}
