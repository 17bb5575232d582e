using Backflow.Protocol.Regions;

namespace Backflow.Protocol.Tests.Regions;

public sealed class RegionCodeTests
{
    [Theory]
    [InlineData("000000", RegionLevel.Nationwide)]
    [InlineData("330000", RegionLevel.Province)]
    [InlineData("110000", RegionLevel.Province)]
    [InlineData("330100", RegionLevel.Prefecture)]
    [InlineData("441900", RegionLevel.Prefecture)]
    [InlineData("330106", RegionLevel.County)]
    [InlineData("330110", RegionLevel.County)]
    [InlineData("110101", RegionLevel.County)]
    [InlineData("500101", RegionLevel.County)]
    [InlineData("650102", RegionLevel.County)]
    [InlineData("820000", RegionLevel.Province)]
    public void Parse_reads_the_level_from_the_trailing_zeros(string text, RegionLevel level)
    {
        Assert.Equal(level, RegionCode.Parse(text).Level);
    }

    [Theory]
    [InlineData(null, "exactly six digits")]
    [InlineData("", "exactly six digits")]
    [InlineData("33010", "exactly six digits")]
    [InlineData("3301060", "exactly six digits")]
    [InlineData("33010a", "exactly six digits")]
    [InlineData(" 330106", "exactly six digits")]
    [InlineData("３３０１０６", "exactly six digits")]
    [InlineData("000106", "cannot be 00")]
    [InlineData("330006", "needs a prefecture")]
    [InlineData("999999", "name no province")]
    [InlineData("160101", "name no province")]
    [InlineData("550101", "name no province")]
    [InlineData("830000", "name no province")]
    public void Parse_rejects_malformed_codes_with_the_reason(string? text, string reason)
    {
        Assert.False(RegionCode.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        var thrown = Assert.Throws<FormatException>(() => RegionCode.Parse(text));
        Assert.Contains(reason, thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("330106", "330106", true)]
    [InlineData("330106", "330102", false)]
    [InlineData("330100", "330106", true)]
    [InlineData("330100", "330100", true)]
    [InlineData("330100", "330200", false)]
    [InlineData("330100", "330206", false)]
    [InlineData("330000", "330106", true)]
    [InlineData("330000", "330100", true)]
    [InlineData("330000", "320106", false)]
    [InlineData("330106", "330100", false)]
    [InlineData("330106", "330000", false)]
    [InlineData("330106", "000000", true)]
    [InlineData("330000", "000000", true)]
    [InlineData("000000", "440305", true)]
    [InlineData("441900", "441900", true)]
    [InlineData("441900", "442000", false)]
    public void Covers_uses_prefix_meaning(string scope, string code, bool covered)
    {
        Assert.Equal(covered, RegionCode.Parse(scope).Covers(RegionCode.Parse(code)));
    }

    [Fact]
    public void Prefecture_of_a_county_is_its_first_four_digits()
    {
        Assert.Equal("330100", RegionCode.Parse("330106").Prefecture.Value);
        Assert.Equal("441900", RegionCode.Parse("441900").Prefecture.Value);
    }

    [Fact]
    public void Scope_covers_a_code_when_any_entry_does()
    {
        var scope = RegionScope.Parse("330102, 330200");
        Assert.True(scope.Covers(RegionCode.Parse("330102")));
        Assert.True(scope.Covers(RegionCode.Parse("330205")));
        Assert.True(scope.Covers(RegionCode.Nationwide));
        Assert.False(scope.Covers(RegionCode.Parse("330106")));
        Assert.Equal("330102,330200", scope.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("330102,abc")]
    public void Scope_parse_rejects_empty_or_malformed_lists(string text)
    {
        Assert.Throws<FormatException>(() => RegionScope.Parse(text));
    }
}
