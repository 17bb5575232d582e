using Backflow.Protocol.Regions;
using Backflow.Server.Feeds;

namespace Backflow.Server.Tests.Feeds;

public sealed class StoredRegionsTests
{
    [Fact]
    public void A_stored_code_the_rules_no_longer_accept_is_served_to_nobody_and_shown_as_it_is()
    {
        var province = RegionScope.Parse("330000");

        Assert.True(StoredRegions.CoveredBy(province, "330106"));
        Assert.False(StoredRegions.CoveredBy(province, "999999"));
        Assert.False(StoredRegions.CoveredBy(RegionScope.Parse("000000"), "999999"));
        Assert.Equal("330100", StoredRegions.PrefectureOf("330106"));
        Assert.Equal("999999", StoredRegions.PrefectureOf("999999"));
    }
}
