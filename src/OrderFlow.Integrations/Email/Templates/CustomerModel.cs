namespace OrderFlow.Integrations.Email.Templates;

/// <summary>The greeting data (<c>customer.*</c>): the first name only, empty when unknown.</summary>
public sealed record CustomerModel(string FirstName);
