namespace Backflow.Server.Demo;

/// <summary>
/// The demo's source systems: one register per sample dataset over the same residents and companies of 杭州市,
/// generated from a fixed seed so that every demo run (and its screenshots) shows the same data.
/// </summary>
internal sealed class DemoData
{
    public const int Seed = 20260301;

    private readonly MarketEntityData _market;
    private readonly HouseholdData _households;
    private readonly ContributionData _contributions;
    private readonly List<DemoPerson> _people;
    private readonly List<DemoPerson> _insured;

    public DemoData(DateTimeOffset now, int seed = Seed)
    {
        var random = new Random(seed);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        _people = [.. DemoCounties.All.SelectMany(c => Enumerable.Range(0, 40).Select(_ => DemoPerson.Create(random, c, today, 0, 85)))];
        // Half of the working-age residents are insured through the contributions register.
        _insured = [.. _people.Where(p => p.Birth < today.AddYears(-18) && p.Birth > today.AddYears(-60)).Where((_, i) => i % 2 == 0)];
        _market = new MarketEntityData(random, now);
        _households = new HouseholdData(random, now);
        _contributions = new ContributionData(random, now);
    }

    public static IReadOnlyList<string> Datasets => [MarketEntityData.Dataset, HouseholdData.Dataset, ContributionData.Dataset];

    /// <summary>The first publish of each dataset: the registers as they stand.</summary>
    public IReadOnlyList<DemoChangeset> Initial()
    {
        return
        [
            _market.Initial(perCounty: 60),
            _households.Initial(_people),
            _contributions.Initial(_insured, _market, months: 3),
        ];
    }

    /// <summary>Later publishes: updates, deletes and region moves, touching every district.</summary>
    public IReadOnlyList<DemoChangeset> FollowUps(DateTimeOffset at)
    {
        return
        [
            _market.Changes(at, movedFrom: "330106", movedTo: "330108"),
            _households.Changes(_people, at),
            _contributions.Changes(_insured, at),
            _market.Changes(at.AddMinutes(1), movedFrom: "330102", movedTo: "330110"),
        ];
    }
}
