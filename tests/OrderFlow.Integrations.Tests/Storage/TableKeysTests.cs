using OrderFlow.Integrations.Storage;

namespace OrderFlow.Integrations.Tests.Storage;

public sealed class TableKeysTests
{
    [Theory]
    [InlineData("plain-id_1.2", "plain-id_1.2")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a\\b#c?d", "a%5Cb%23c%3Fd")]
    [InlineData("100%|x", "100%25%7Cx")]
    [InlineData("tab\there", "tab%09here")]
    public void Encode_ReservedCharacters_AreEscapedAndDecodeRestoresThem(string raw, string encoded)
    {
        Assert.Equal(encoded, TableKeys.Encode(raw));
        Assert.Equal(raw, TableKeys.Decode(encoded));
    }
}
