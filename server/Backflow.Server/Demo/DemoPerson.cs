namespace Backflow.Server.Demo;

/// <summary>A resident of the demo prefecture: the same person appears in household changes and contributions.</summary>
internal sealed record DemoPerson(string Name, string IdNumber, string Gender, DateOnly Birth, DemoCounty County)
{
    public static DemoPerson Create(Random random, DemoCounty county, DateOnly today, int minAge, int maxAge)
    {
        var male = random.Next(2) == 0;
        var birth = today.AddYears(-random.Next(minAge, maxAge + 1)).AddDays(-random.Next(365));
        // Many residents were first registered elsewhere in the province; the ID keeps that first region.
        var firstRegion = random.Next(4) == 0 ? ChineseNames.Pick(random, ["330127", "330183", "330302", "330602"]) : county.Code;
        var id = IdNumberGenerator.Generate(random, firstRegion, birth, male);
        return new DemoPerson(ChineseNames.Person(random, male), id, IdNumberGenerator.GenderOf(id), birth, county);
    }
}
