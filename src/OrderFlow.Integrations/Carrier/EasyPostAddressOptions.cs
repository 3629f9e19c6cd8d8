namespace OrderFlow.Integrations.Carrier;

/// <summary>A location's ship-from address in EasyPost's terms (EasyPost:FromAddresses:N).</summary>
public sealed class EasyPostAddressOptions
{
    /// <summary>The fulfillment location this address ships from, e.g. WH-EAST.</summary>
    public string Location { get; set; } = "";

    public string Name { get; set; } = "";

    public string Company { get; set; } = "";

    public string Street1 { get; set; } = "";

    public string Street2 { get; set; } = "";

    public string City { get; set; } = "";

    public string State { get; set; } = "";

    public string Zip { get; set; } = "";

    /// <summary>ISO 3166-1 alpha-2, e.g. US.</summary>
    public string Country { get; set; } = "US";

    public string Phone { get; set; } = "";
}
