using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>A carrier or multi-carrier label API.</summary>
public interface ICarrierGateway
{
    /// <summary>Buys a label; the same idempotency key returns the same label.</summary>
    Task<ShippingLabel> BuyLabelAsync(LabelRequest request, CancellationToken cancellationToken = default);

    /// <summary>Voids (refunds) a bought label that will not be used; asking again returns the first answer.</summary>
    Task<LabelVoidResult> VoidLabelAsync(LabelVoidRequest request, CancellationToken cancellationToken = default);
}
