namespace OrderFlow.Domain.Routing;

/// <summary>A SKU the policy could not fully allocate: what was asked, what it allocated (possibly some), what is missing.</summary>
public sealed record AllocationShortage(string Sku, int Requested, int Allocated)
{
    public int Missing => Requested - Allocated;
}
