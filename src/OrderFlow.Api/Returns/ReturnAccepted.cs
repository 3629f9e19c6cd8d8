namespace OrderFlow.Api.Returns;

/// <summary>202 answer to a return request: the return's id and where to follow it.</summary>
public sealed record ReturnAccepted(string ReturnId, string StatusUrl);
