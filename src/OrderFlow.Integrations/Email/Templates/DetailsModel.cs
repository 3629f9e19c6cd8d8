namespace OrderFlow.Integrations.Email.Templates;

/// <summary>
/// Milestone data from the notification's optional details (<c>details.*</c>), formatted; empty when not given.
/// <see cref="Reason"/> is a code (see CustomerNotification.DetailKeys.Reason): templates word the codes they know
/// and never print it.
/// </summary>
public sealed record DetailsModel(
    string Reason,
    IReadOnlyList<ItemModel> Items,
    string SubstituteTitle,
    string Amount,
    string PromisedDate,
    string ExpectedDate,
    string OccurredOn,
    string DownloadUrl = "")
{
    public static DetailsModel None { get; } = new(string.Empty, [], string.Empty, string.Empty, string.Empty, string.Empty, string.Empty);
}
