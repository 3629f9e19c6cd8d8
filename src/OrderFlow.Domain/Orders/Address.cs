namespace OrderFlow.Domain.Orders;

/// <summary>A postal address; country is an ISO 3166-1 alpha-2 code.</summary>
public sealed record Address(
    string Name,
    string Line1,
    string? Line2,
    string City,
    string? Province,
    string PostalCode,
    string CountryCode,
    string? Phone);
