using System.Globalization;
using System.Text;
using OrderFlow.Api.Csv;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Api.Catalog;

/// <summary>
/// The catalog as CSV (RFC 4180, <see cref="CsvText"/>): a header row, then one row per SKU and location with the SKU's
/// catalog fields repeated (a SKU without stock locations, e.g. a digital product, has one row with empty location and
/// units). Columns are named like the PUT /api/inventory/{sku} body, in any order. On import a catalog cell left empty
/// keeps the current value, and a SKU's later rows may leave them empty; two different non-empty values for one SKU,
/// the same SKU and location twice, and every cell the inventory API would refuse reject the row with its line.
/// </summary>
public static class CatalogCsv
{
    public const string Sku = "sku";
    public const string Title = "title";
    public const string Location = "location";
    public const string Units = "units";
    public const string ReorderThreshold = "reorderThreshold";
    public const string OutOfStockPolicy = "outOfStockPolicy";
    public const string SubstituteSku = "substituteSku";
    public const string DownloadUrl = "downloadUrl";

    /// <summary>Most data rows one file may have.</summary>
    public const int MaxRows = 10_000;

    /// <summary>Largest file accepted, in bytes.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    /// <summary>Longest product title.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>The columns, in the order an export writes them.</summary>
    public static IReadOnlyList<string> Columns { get; } = [Sku, Title, Location, Units, ReorderThreshold, OutOfStockPolicy, SubstituteSku, DownloadUrl];

    /// <summary>The export: one row per SKU and location (ordinal order), the catalog fields on each.</summary>
    public static string Write(IEnumerable<(CatalogItem Item, IReadOnlyDictionary<string, int> OnHand)> skus)
    {
        ArgumentNullException.ThrowIfNull(skus);
        var csv = CsvText.AppendRecord(new StringBuilder(), Columns);
        foreach (var (item, onHand) in skus)
        {
            string[] Row(string location, string units) =>
            [
                item.Sku,
                item.Title,
                location,
                units,
                item.ReorderThreshold?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                item.OutOfStockPolicy ?? string.Empty,
                item.SubstituteSku ?? string.Empty,
                item.Digital ? item.DownloadUrl ?? string.Empty : string.Empty,
            ];

            if (onHand.Count == 0)
            {
                CsvText.AppendRecord(csv, Row(string.Empty, string.Empty), Numeric);
            }

            foreach (var (location, units) in onHand.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                CsvText.AppendRecord(csv, Row(location, units.ToString(CultureInfo.InvariantCulture)), Numeric);
            }
        }

        return csv.ToString();
    }

    /// <summary>
    /// Reads and checks a file. A file that cannot be read as a whole (malformed quoting, a wrong header, too many rows)
    /// throws <see cref="FormatException"/> with the reason; a bad row is listed in <see cref="CatalogFile.Rejected"/>.
    /// </summary>
    public static CatalogFile Parse(string text)
    {
        var records = CsvText.Read(text);
        if (records.Count == 0)
        {
            throw new FormatException($"The file is empty; its first line must be the header: {string.Join(",", Columns)}.");
        }

        var header = records[0].Fields.Select(f => f.Trim()).ToList();
        var index = Columns.ToDictionary(c => c, c => header.FindIndex(h => string.Equals(h, c, StringComparison.OrdinalIgnoreCase)), StringComparer.Ordinal);
        if (header.Count != Columns.Count || index.Values.Any(i => i < 0))
        {
            throw new FormatException($"The header must name the columns {string.Join(",", Columns)} (in any order); it has {string.Join(",", header)}.");
        }

        if (records.Count - 1 > MaxRows)
        {
            throw new FormatException($"The file has {records.Count - 1} rows; at most {MaxRows} are accepted at once. Split it.");
        }

        var rejected = new List<CatalogRejectedRow>();
        var skus = new Dictionary<string, Group>(StringComparer.Ordinal);
        foreach (var record in records.Skip(1))
        {
            string Cell(string column) => CsvText.Unformula(record.Fields[index[column]].Trim());
            var sku = record.Fields.Count == Columns.Count ? Cell(Sku) : null;
            if (RowProblem(record, sku, Cell, skus) is { } problem)
            {
                rejected.Add(new CatalogRejectedRow(record.Line, string.IsNullOrEmpty(sku) ? null : sku, problem));
                continue;
            }

            var group = skus.TryGetValue(sku!, out var existing) ? existing : skus[sku!] = new Group(sku!, record.Line);
            group.Title ??= NullIfEmpty(Cell(Title));
            group.ReorderThreshold ??= Int(Cell(ReorderThreshold));
            group.OutOfStockPolicy ??= NullIfEmpty(Cell(OutOfStockPolicy)) is { } policy ? OutOfStockPolicies.Normalize(policy) : null;
            group.SubstituteSku ??= NullIfEmpty(Cell(SubstituteSku));
            group.DownloadUrl ??= NullIfEmpty(Cell(DownloadUrl));
            if (NullIfEmpty(Cell(Location)) is { } location)
            {
                group.Units[location] = Int(Cell(Units))!.Value;
                group.Lines[location] = record.Line;
            }
        }

        return new CatalogFile(
            records.Count - 1,
            skus.Values.OrderBy(g => g.Line).Select(g => new CatalogSkuRows(g.Sku, g.Line, g.Title, g.ReorderThreshold, g.OutOfStockPolicy, g.SubstituteSku, g.DownloadUrl, g.Units)).ToList(),
            rejected);
    }

    private static bool Numeric(int column) => column is 3 or 4;

    /// <summary>Why a row is refused, or null; checks the cells on their own, then against the SKU's earlier rows.</summary>
    private static string? RowProblem(CsvRecord record, string? sku, Func<string, string> cell, Dictionary<string, Group> skus)
    {
        if (record.Fields.Count != Columns.Count)
        {
            return $"The row has {record.Fields.Count} cells; the header has {Columns.Count}.";
        }

        if (string.IsNullOrEmpty(sku))
        {
            return "sku is required.";
        }

        if (!InventoryHandler.IsValidSku(sku))
        {
            return "sku must be 1-100 characters without / \\ # ? or control characters.";
        }

        var (location, units) = (cell(Location), cell(Units));
        if (location.Length > 0 != units.Length > 0)
        {
            return "location and units go together: give both (counted units at that location) or neither (catalog fields only).";
        }

        if (location.Length > 0 && !InventoryHandler.IsValidLocation(location))
        {
            return $"location must be 1-{InventoryHandler.MaxLocationLength} characters without / \\ # ? or control characters.";
        }

        if (units.Length > 0)
        {
            if (Int(units) is not { } count)
            {
                return $"units '{units}' is not a whole number.";
            }

            if (count is < 0 or > InventoryHandler.MaxUnitsPerSku)
            {
                return $"units is {units}; a count is 0 to {InventoryHandler.MaxUnitsPerSku} units (never negative).";
            }
        }

        var threshold = cell(ReorderThreshold);
        if (threshold.Length > 0 && Int(threshold) is null)
        {
            return $"reorderThreshold '{threshold}' is not a whole number.";
        }

        if (cell(Title).Length > MaxTitleLength)
        {
            return $"title is {cell(Title).Length} characters; at most {MaxTitleLength}.";
        }

        if (InventoryHandler.CatalogFieldProblem(sku, Int(threshold), NullIfEmpty(cell(OutOfStockPolicy)), NullIfEmpty(cell(SubstituteSku)), NullIfEmpty(cell(DownloadUrl))) is { } fieldProblem)
        {
            return fieldProblem;
        }

        if (!skus.TryGetValue(sku, out var group))
        {
            return null;
        }

        if (location.Length > 0 && group.Lines.TryGetValue(location, out var line))
        {
            return $"{sku} at {location} is already on line {line}: give each SKU and location once.";
        }

        var policy = NullIfEmpty(cell(OutOfStockPolicy)) is { } p ? OutOfStockPolicies.Normalize(p) : null;
        foreach (var (column, mine, theirs) in new[]
                 {
                     (Title, NullIfEmpty(cell(Title)), group.Title),
                     (ReorderThreshold, NullIfEmpty(threshold), group.ReorderThreshold?.ToString(CultureInfo.InvariantCulture)),
                     (OutOfStockPolicy, policy, group.OutOfStockPolicy),
                     (SubstituteSku, NullIfEmpty(cell(SubstituteSku)), group.SubstituteSku),
                     (DownloadUrl, NullIfEmpty(cell(DownloadUrl)), group.DownloadUrl),
                 })
        {
            if (mine is not null && theirs is not null && !string.Equals(mine, theirs, StringComparison.Ordinal))
            {
                return $"{column} '{mine}' differs from '{theirs}' given for {sku} on line {group.Line}: give a SKU's catalog fields once, or the same on each of its rows.";
            }
        }

        if (location.Length > 0 && group.Units.Values.Sum(v => (long)v) + Int(units)!.Value > InventoryHandler.MaxUnitsPerSku)
        {
            return $"{sku} would have more than {InventoryHandler.MaxUnitsPerSku} units in all.";
        }

        return null;
    }

    private static int? Int(string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private sealed class Group(string sku, int line)
    {
        public string Sku => sku;

        public int Line => line;

        public string? Title { get; set; }

        public int? ReorderThreshold { get; set; }

        public string? OutOfStockPolicy { get; set; }

        public string? SubstituteSku { get; set; }

        public string? DownloadUrl { get; set; }

        public Dictionary<string, int> Units { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);
    }
}
