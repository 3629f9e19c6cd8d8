namespace OrderFlow.Integrations.Carrier;

/// <summary>Default parcel (EasyPost:Parcel): inches and ounces, as EasyPost expects.</summary>
public sealed class EasyPostParcelOptions
{
    public double LengthIn { get; set; } = 10;

    public double WidthIn { get; set; } = 8;

    public double HeightIn { get; set; } = 4;

    /// <summary>Weight of a parcel, or of one unit of a SKU missing from EasyPost:SkuWeightsOz.</summary>
    public double WeightOz { get; set; } = 16;
}
