namespace OrderFlow.Api.Models;

/// <summary>
/// One location of a SKU in an import: the <paramref name="OnHand"/> units counted now, the file's
/// <paramref name="Units"/>, and the <paramref name="Delta"/> posted as a count-correction movement (never an overwrite,
/// so units sold meanwhile stay sold). <paramref name="Status"/>: planned (dry run), applied, already-applied (this
/// file's movement was posted before; nothing is posted again), failed (the entity refused a removal larger than its
/// units: stock sold since the file was read; post the file again to retry with a fresh difference) or pending (the
/// engine has not finished it yet; it will apply).
/// </summary>
public sealed record CatalogUnitChange(string Location, int OnHand, int Units, int Delta, string Status);
