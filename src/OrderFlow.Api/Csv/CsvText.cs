using System.Text;

namespace OrderFlow.Api.Csv;

/// <summary>
/// RFC 4180 CSV: fields separated by commas, records by CRLF (LF and CR alone are read too), a field that holds a
/// comma, quote or line break is quoted with its quotes doubled. A leading UTF-8 byte order mark is skipped and blank
/// lines are ignored. Text cells a spreadsheet would run as a formula (= + - @ tab CR) are written with a leading
/// apostrophe, which <see cref="Unformula"/> takes off again on import.
/// </summary>
public static class CsvText
{
    /// <summary>Parses <paramref name="text"/> into records; a malformed quote throws <see cref="FormatException"/> naming its line.</summary>
    public static IReadOnlyList<CsvRecord> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var wasQuoted = false;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            // A blank line is no record (a single empty unquoted field).
            if (fields.Count > 1 || fields[0].Length > 0 || wasQuoted)
            {
                records.Add(new CsvRecord(recordLine, fields.ToArray()));
            }

            fields.Clear();
            wasQuoted = false;
        }

        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                        if (i + 1 < text.Length && text[i + 1] is not (',' or '\r' or '\n'))
                        {
                            throw new FormatException($"Line {line}: a quoted field must end at a comma or the end of the line.");
                        }
                    }
                }
                else
                {
                    if (c == '\n' || (c == '\r' && !(i + 1 < text.Length && text[i + 1] == '\n')))
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0 && !wasQuoted:
                    quoted = true;
                    wasQuoted = true;
                    break;
                case '"':
                    throw new FormatException($"Line {line}: a quote inside an unquoted field; quote the whole field and double its quotes (\"\").");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    wasQuoted = false;
                    break;
                case '\r' or '\n':
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (quoted)
        {
            throw new FormatException($"Line {recordLine}: a quoted field is never closed.");
        }

        if (field.Length > 0 || fields.Count > 0 || wasQuoted)
        {
            EndRecord();
        }

        return records;
    }

    /// <summary>Appends one record and its CRLF; <paramref name="numeric"/> cells (e.g. "-3") are never given the formula guard.</summary>
    public static StringBuilder AppendRecord(StringBuilder csv, IReadOnlyList<string> cells, Func<int, bool>? numeric = null)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(cells);
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            csv.Append(Cell(cells[i], numeric?.Invoke(i) ?? false));
        }

        return csv.Append("\r\n");
    }

    /// <summary>One cell: formula-guarded unless numeric, quoted when it holds a comma, quote or line break.</summary>
    public static string Cell(string value, bool numeric)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!numeric && value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>Takes off the apostrophe <see cref="Cell"/> puts before a formula-like text, so an export imports unchanged.</summary>
    public static string Unformula(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? value[1..] : value;
    }
}
