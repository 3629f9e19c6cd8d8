namespace OrderFlow.Api.Csv;

/// <summary>One record of a CSV file: its fields, and the file line it starts on (1-based; quoted newlines make records span lines).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);
