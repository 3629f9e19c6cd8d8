using OrderFlow.Api.Catalog;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Api.Tests.Catalog;

/// <summary>The catalog CSV format: header, one row per SKU and location, and the row checks with their line numbers.</summary>
public sealed class CatalogCsvTests
{
    private const string Header = "sku,title,location,units,reorderThreshold,outOfStockPolicy,substituteSku,downloadUrl\r\n";

    [Fact]
    public void Parse_SampleFile_AcceptsEveryRowAndGroupsLocationsBySku()
    {
        var file = CatalogCsv.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "catalog.csv")));

        Assert.Empty(file.Rejected);
        Assert.Equal(5, file.Rows);
        var mug = file.Skus[0];
        Assert.Equal(("SKU-MUG", "Ceramic Mug", 10, OutOfStockPolicies.Backorder), (mug.Sku, mug.Title, mug.ReorderThreshold, mug.OutOfStockPolicy));
        Assert.Equal(new Dictionary<string, int> { ["WH-EAST"] = 40, ["WH-WEST"] = 12 }, mug.Units);
        Assert.Equal("Logo T-Shirt \"Classic\"", file.Skus.Single(s => s.Sku == "SKU-TEE").Title);
        var ebook = file.Skus.Single(s => s.Sku == "SKU-EBOOK");
        Assert.Equal(("Brewing, the book", "https://downloads.example.com/brewing"), (ebook.Title, ebook.DownloadUrl));
        Assert.Empty(ebook.Units);
    }

    [Fact]
    public void Parse_ColumnsInAnotherOrderAndLaterRowsLeavingFieldsEmpty_TakesTheSkusFieldsOnce()
    {
        var file = CatalogCsv.Parse("units,location,SKU,title,reorderThreshold,outOfStockPolicy,substituteSku,downloadUrl\n5,A,MUG,Mug,3,backorder,,\n7,B,MUG,,,,,\n");

        Assert.Empty(file.Rejected);
        var mug = Assert.Single(file.Skus);
        Assert.Equal(("Mug", 3, "Backorder"), (mug.Title, mug.ReorderThreshold, mug.OutOfStockPolicy));
        Assert.Equal(new Dictionary<string, int> { ["A"] = 5, ["B"] = 7 }, mug.Units);
    }

    [Fact]
    public void Parse_BadRows_RejectsEachWithItsLineAndReasonAndKeepsTheGoodOnes()
    {
        var text = Header
            + "GOOD,Good,WH,1,,,,\r\n"                        // line 2
            + "NEG,Negative,WH,-4,,,,\r\n"                    // 3
            + "POL,Policy,WH,1,,Sometimes,,\r\n"              // 4
            + "BAD/SKU,Slash,WH,1,,,,\r\n"                    // 5
            + "GOOD,Good,WH,2,,,,\r\n"                        // 6: same SKU and location
            + "GOOD,Other title,WH2,2,,,,\r\n"                // 7: conflicting title
            + "LOC,Location,\"WH#1\",1,,,,\r\n"               // 8
            + "URL,Url,,,,,,http://plain.example.com\r\n"     // 9
            + "SUB,Sub,,,,,SUB,\r\n"                          // 10
            + "HALF,Half,WH,,,,,\r\n"                         // 11
            + "FEW,cells\r\n"                                 // 12
            + "\"MULTI\",\"two\nlines\",WH,x,,,,\r\n";        // 13 (spans 14)

        var file = CatalogCsv.Parse(text);

        Assert.Equal(12, file.Rows);
        Assert.Equal(["GOOD"], file.Skus.Select(s => s.Sku));
        var reasons = file.Rejected.ToDictionary(r => r.Line, r => r.Reason);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], reasons.Keys);
        Assert.Contains("never negative", reasons[3], StringComparison.Ordinal);
        Assert.Contains("outOfStockPolicy 'Sometimes' is not one of Escalate, Backorder, Substitute, Cancel", reasons[4], StringComparison.Ordinal);
        Assert.StartsWith("sku must be 1-100 characters", reasons[5], StringComparison.Ordinal);
        Assert.Equal("GOOD at WH is already on line 2: give each SKU and location once.", reasons[6]);
        Assert.Contains("title 'Other title' differs from 'Good' given for GOOD on line 2", reasons[7], StringComparison.Ordinal);
        Assert.StartsWith("location must be 1-100 characters", reasons[8], StringComparison.Ordinal);
        Assert.Equal("downloadUrl must be an absolute https URL.", reasons[9]);
        Assert.Equal("substituteSku must be another valid SKU.", reasons[10]);
        Assert.StartsWith("location and units go together", reasons[11], StringComparison.Ordinal);
        Assert.Equal("The row has 2 cells; the header has 8.", reasons[12]);
        Assert.Equal("units 'x' is not a whole number.", reasons[13]);
        Assert.Equal("MULTI", file.Rejected.Single(r => r.Line == 13).Sku);
    }

    [Theory]
    [InlineData("", "The file is empty")]
    [InlineData("sku,title,location,units\r\n", "The header must name the columns")]
    [InlineData("sku,title,location,units,reorderThreshold,outOfStockPolicy,substituteSku,downloadUrl,extra\r\n", "The header must name the columns")]
    public void Parse_MissingOrWrongHeader_ThrowsWithTheExpectedColumns(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => CatalogCsv.Parse(text));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("sku,title,location,units,reorderThreshold,outOfStockPolicy,substituteSku,downloadUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MoreThanMaxRows_ThrowsAskingToSplit()
    {
        var text = Header + string.Concat(Enumerable.Range(0, CatalogCsv.MaxRows + 1).Select(i => $"S{i},T,WH,1,,,,\r\n"));

        var error = Assert.Throws<FormatException>(() => CatalogCsv.Parse(text));

        Assert.Contains($"at most {CatalogCsv.MaxRows}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ThenParse_RoundTripsEveryFieldIncludingFormulaLikeTitles()
    {
        var items = new (CatalogItem, IReadOnlyDictionary<string, int>)[]
        {
            (new CatalogItem("MUG", "=Mug, \"large\"", true, OutOfStockPolicies.Substitute, "MUG-2", 4), new Dictionary<string, int> { ["WH-WEST"] = 2, ["WH-EAST"] = 9 }),
            (new CatalogItem("EBOOK", "E-book", true, Digital: true, DownloadUrl: "https://dl.example.com/e"), new Dictionary<string, int>()),
        };

        var csv = CatalogCsv.Write(items);
        var file = CatalogCsv.Parse(csv);

        Assert.StartsWith(Header, csv, StringComparison.Ordinal);
        Assert.Contains("MUG,\"'=Mug, \"\"large\"\"\",WH-EAST,9,4,Substitute,MUG-2,\r\n", csv, StringComparison.Ordinal);
        Assert.Empty(file.Rejected);
        Assert.Equal(
            new CatalogSkuRows("MUG", 2, "=Mug, \"large\"", 4, OutOfStockPolicies.Substitute, "MUG-2", null, new Dictionary<string, int>()) with { Units = file.Skus[0].Units },
            file.Skus[0]);
        Assert.Equal(new Dictionary<string, int> { ["WH-EAST"] = 9, ["WH-WEST"] = 2 }, file.Skus[0].Units);
        Assert.Equal(("EBOOK", "https://dl.example.com/e", 0), (file.Skus[1].Sku, file.Skus[1].DownloadUrl, file.Skus[1].Units.Count));
    }
}
