namespace Backflow.Server.Demo;

/// <summary>
/// The market regulator's register (market-entities): companies and individual businesses in every district,
/// then follow-ups that change status and capital, deregister a few, and move one company to another district.
/// </summary>
internal sealed class MarketEntityData(Random random, DateTimeOffset now)
{
    public const string Dataset = "market-entities";

    private static readonly string[] Header =
    [
        "uscc", "entity_name", "entity_type", "legal_representative", "registered_capital", "established_on",
        "business_scope", "address", "county_code", "status", "registration_authority", "updated_at",
    ];

    private const int Uscc = 0;
    private const int Capital = 4;
    private const int Address = 7;
    private const int County = 8;
    private const int Status = 9;
    private const int Authority = 10;
    private const int Updated = 11;

    private readonly SortedDictionary<string, string?[]> _rows = new(StringComparer.Ordinal);

    /// <summary>Companies only: employers for the social insurance contributions.</summary>
    public IReadOnlyList<string> Employers(DemoCounty county) =>
        [.. _rows.Values.Where(r => r[County] == county.Code && r[2] == "有限责任公司").Select(r => r[Uscc]!)];

    public DemoChangeset Initial(int perCounty)
    {
        foreach (var county in DemoCounties.All)
        {
            for (var i = 0; i < perCounty; i++)
            {
                var row = NewEntity(county);
                _rows[row[Uscc]!] = row;
            }
        }

        return new DemoChangeset(Dataset, $"{_rows.Count} market entities in {DemoCounties.All.Count} districts", DemoCsv.Write(Header, _rows.Values));
    }

    /// <summary>Status and capital changes and new registrations in every district, deregistrations, and one move.</summary>
    public DemoChangeset Changes(DateTimeOffset at, string movedFrom, string movedTo)
    {
        var changed = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        foreach (var county in DemoCounties.All)
        {
            var local = _rows.Values.Where(r => r[County] == county.Code).ToList();
            foreach (var row in local.Take(3))
            {
                row[Status] = ChineseNames.Pick(random, ["在业", "存续", "吊销"]);
                row[Capital] = row[Capital] is null ? null : DemoValues.Money(decimal.Parse(row[Capital]!, System.Globalization.CultureInfo.InvariantCulture) * 1.5m);
                row[Updated] = DemoValues.Timestamp(at);
                changed[row[Uscc]!] = row;
            }

            for (var i = 0; i < 2; i++)
            {
                var row = NewEntity(county);
                row[Updated] = DemoValues.Timestamp(at);
                _rows[row[Uscc]!] = row;
                changed[row[Uscc]!] = row;
            }
        }

        // A region move: the same key re-registered in another district; the server deletes it in the old one.
        var mover = _rows.Values.First(r => r[County] == movedFrom && !changed.ContainsKey(r[Uscc]!));
        var target = DemoCounties.Get(movedTo);
        mover[County] = target.Code;
        mover[Address] = ChineseNames.Address(random, target);
        mover[Authority] = target.MarketAuthority;
        mover[Updated] = DemoValues.Timestamp(at);
        changed[mover[Uscc]!] = mover;

        // Deregistered and struck off: withdrawn from the register in two districts.
        var deleted = DemoCounties.All.Take(2)
            .Select(c => _rows.Values.Last(r => r[County] == c.Code && !changed.ContainsKey(r[Uscc]!))[Uscc]!)
            .ToList();
        foreach (var key in deleted)
        {
            _rows.Remove(key);
        }

        return new DemoChangeset(
            Dataset,
            $"{changed.Count} market entities changed (one moved {movedFrom} → {movedTo}), {deleted.Count} deregistered",
            DemoCsv.Write(Header, changed.Values),
            DemoCsv.Write(["uscc"], deleted.Select(k => new string?[] { k })));
    }

    private string?[] NewEntity(DemoCounty county)
    {
        var individual = random.Next(4) == 0;
        var established = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-random.Next(30, 365 * 30));
        var male = random.Next(2) == 0;
        var capital = individual
            ? (random.Next(3) == 0 ? null : DemoValues.Money(random.Next(1, 50)))
            : DemoValues.Money(random.Next(10, 50_000) + random.Next(100) / 100m);
        return
        [
            UsccGenerator.Generate(random, county.Code, individual),
            ChineseNames.Company(random, individual, county),
            individual ? "个体工商户" : "有限责任公司",
            random.Next(10) == 0 ? null : ChineseNames.Person(random, male),
            capital,
            DemoValues.Date(established),
            random.Next(8) == 0 ? null : ChineseNames.Scope(random),
            ChineseNames.Address(random, county),
            county.Code,
            ChineseNames.Pick(random, ["存续", "在业", "存续", "在业", "注销"]),
            county.MarketAuthority,
            DemoValues.Timestamp(now.AddMinutes(-random.Next(60 * 24 * 30))),
        ];
    }
}
