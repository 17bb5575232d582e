using Backflow.Server.Demo;

namespace Backflow.Server.Tests.Demo;

public sealed class DemoDataTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_generated_credit_code_and_id_number_passes_its_check()
    {
        var data = new DemoData(Now);
        var csv = string.Concat(data.Initial().Concat(data.FollowUps(Now.AddHours(1))).Select(c => c.Changes + c.Deletes));
        var usccs = System.Text.RegularExpressions.Regex.Matches(csv, "\\b9[12]3301[0-9A-Z]{12}\\b").Select(m => m.Value).ToList();
        var ids = System.Text.RegularExpressions.Regex.Matches(csv, "\\b33[0-9]{15}[0-9X]\\b").Select(m => m.Value).ToList();

        Assert.True(usccs.Count > 300, $"{usccs.Count} credit codes");
        Assert.True(ids.Count > 200, $"{ids.Count} ID numbers");
        Assert.All(usccs, c => Assert.True(UsccGenerator.IsValid(c), c));
        Assert.All(ids, n => Assert.True(IdNumberGenerator.IsValid(n), n));
    }

    [Fact]
    public void The_same_seed_gives_the_same_data()
    {
        var first = new DemoData(Now).Initial().Select(c => c.Changes);
        var second = new DemoData(Now).Initial().Select(c => c.Changes);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Follow_ups_touch_every_district_and_include_deletes_and_a_region_move()
    {
        var data = new DemoData(Now);
        data.Initial();
        var followUps = data.FollowUps(Now.AddHours(1));

        foreach (var county in DemoCounties.All)
        {
            Assert.All(DemoData.Datasets, d => Assert.Contains(followUps, c => c.Dataset == d && c.Changes.Contains("," + county.Code + ",", StringComparison.Ordinal)));
        }

        Assert.Contains(followUps, c => c.Deletes is not null);
        Assert.Contains(followUps, c => c.Description.Contains("moved 330106 → 330108", StringComparison.Ordinal));
    }
}
