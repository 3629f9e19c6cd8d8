namespace OrderFlow.Integrations.Channels;

/// <summary>Runs in a row that could not push everything to one channel: since when, how many, the last error, the case opened.</summary>
public sealed record ChannelFailureStreak(DateTimeOffset FirstFailedAt, int Runs, string LastError, string? CaseId);
