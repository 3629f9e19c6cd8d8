namespace OrderFlow.Workflows.Ports;

/// <summary>
/// The carrier refused the ship-to address (undeliverable, unknown postal code...). Not transient: a person has to
/// correct the address (AddressInvalid case) before a label can be bought.
/// </summary>
public sealed class CarrierAddressRejectedException : Exception
{
    public CarrierAddressRejectedException()
    {
    }

    public CarrierAddressRejectedException(string message)
        : base(message)
    {
    }

    public CarrierAddressRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
