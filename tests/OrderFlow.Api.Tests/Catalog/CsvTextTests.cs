using System.Text;
using OrderFlow.Api.Csv;

namespace OrderFlow.Api.Tests.Catalog;

/// <summary>RFC 4180 reading and writing: quoted fields with commas, quotes and line breaks, BOM, CRLF, line numbers.</summary>
public sealed class CsvTextTests
{
    [Fact]
    public void Read_QuotedFieldsWithCommasQuotesAndNewlines_KeepsThemAndNumbersRecordLines()
    {
        var text = "\uFEFFa,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nplain,,last\r\n";

        var records = CsvText.Read(text);

        Assert.Equal(3, records.Count);
        Assert.Equal(["a", "b", "c"], records[0].Fields);
        Assert.Equal(["x, y", "say \"hi\"", "two\r\nlines"], records[1].Fields);
        Assert.Equal(["plain", "", "last"], records[2].Fields);
        Assert.Equal([1, 2, 4], records.Select(r => r.Line));
    }

    [Fact]
    public void Read_LfLineEndsBlankLinesAndNoFinalNewline_ReadsEveryRecord()
    {
        var records = CsvText.Read("a,b\n\n1,2\n\"\",3");

        Assert.Equal([["a", "b"], ["1", "2"], ["", "3"]], records.Select(r => r.Fields.ToArray()));
        Assert.Equal([1, 3, 4], records.Select(r => r.Line));
    }

    [Theory]
    [InlineData("a,\"open\n", "Line 1: a quoted field is never closed.")]
    [InlineData("a,b\nx,y\"z\n", "Line 2: a quote inside an unquoted field")]
    [InlineData("a,b\n\"x\"y,z\n", "Line 2: a quoted field must end at a comma")]
    public void Read_MalformedQuotes_ThrowsNamingTheLine(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => CsvText.Read(text));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AppendRecord_SpecialCharactersAndFormulas_QuotesGuardsAndReadsBack()
    {
        string[] cells = ["a,b", "he said \"no\"", "line1\nline2", "=SUM(A1:A2)", "-3", "plain"];

        var csv = CsvText.AppendRecord(new StringBuilder(), cells, numeric: i => i == 4).ToString();

        Assert.Equal("\"a,b\",\"he said \"\"no\"\"\",\"line1\nline2\",'=SUM(A1:A2),-3,plain\r\n", csv);
        var back = Assert.Single(CsvText.Read(csv)).Fields.Select(CsvText.Unformula);
        Assert.Equal(cells, back);
    }

    [Theory]
    [InlineData("'=1+1", "=1+1")]
    [InlineData("'@cmd", "@cmd")]
    [InlineData("'quoted", "'quoted")]
    [InlineData("'", "'")]
    public void Unformula_GuardedAndOrdinaryText_RemovesOnlyTheGuard(string value, string expected)
    {
        Assert.Equal(expected, CsvText.Unformula(value));
    }
}
