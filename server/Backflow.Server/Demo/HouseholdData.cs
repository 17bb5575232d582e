using System.Globalization;

namespace Backflow.Server.Demo;

/// <summary>
/// The public security bureau's household register changes (household-changes, conditional): births, moves in and
/// out, deaths and corrections; follow-ups add the next day's changes, correct a record and withdraw a wrong one.
/// </summary>
internal sealed class HouseholdData(Random random, DateTimeOffset now)
{
    public const string Dataset = "household-changes";

    private static readonly string[] Header =
    [
        "change_id", "id_number", "person_name", "gender", "birth_date", "change_type", "change_date",
        "from_region", "to_region", "police_station", "county_code", "recorded_at",
    ];

    private readonly List<string?[]> _rows = [];
    private int _serial;

    public DemoChangeset Initial(IReadOnlyList<DemoPerson> people)
    {
        foreach (var person in people)
        {
            _rows.Add(NewChange(person, now.AddDays(-random.Next(1, 90))));
        }

        return new DemoChangeset(Dataset, $"{_rows.Count} household register changes", DemoCsv.Write(Header, _rows));
    }

    /// <summary>A day's new changes in every district, one correction and one record withdrawn as entered in error.</summary>
    public DemoChangeset Changes(IReadOnlyList<DemoPerson> people, DateTimeOffset at)
    {
        var changed = new List<string?[]>();
        foreach (var county in DemoCounties.All)
        {
            foreach (var person in people.Where(p => p.County == county).Take(2))
            {
                var row = NewChange(person, at);
                _rows.Add(row);
                changed.Add(row);
            }
        }

        var corrected = _rows[0];
        corrected[5] = "变更更正";
        corrected[11] = DemoValues.Timestamp(at);
        changed.Add(corrected);

        var withdrawn = _rows[1];
        _rows.RemoveAt(1);
        return new DemoChangeset(
            Dataset,
            $"{changed.Count} household changes (one correction), 1 withdrawn",
            DemoCsv.Write(Header, changed),
            DemoCsv.Write(["change_id"], [[withdrawn[0]]]));
    }

    private string?[] NewChange(DemoPerson person, DateTimeOffset at)
    {
        var type = person.Birth > DateOnly.FromDateTime(now.UtcDateTime).AddYears(-1)
            ? "出生登记"
            : ChineseNames.Pick(random, ["迁入", "迁入", "迁出", "变更更正", "死亡注销"]);
        var elsewhere = ChineseNames.Pick(random, DemoCounties.All.Where(c => c != person.County).ToList()).Code;
        var (from, to) = type switch
        {
            "迁入" => (elsewhere, person.County.Code),
            "迁出" => (person.County.Code, elsewhere),
            _ => ((string?)null, (string?)null),
        };
        _serial++;
        return
        [
            "HZ" + person.County.Code + DemoValues.Date(DateOnly.FromDateTime(at.UtcDateTime)).Replace("-", string.Empty, StringComparison.Ordinal)
                + _serial.ToString("D6", CultureInfo.InvariantCulture),
            person.IdNumber,
            person.Name,
            random.Next(20) == 0 ? null : person.Gender,
            DemoValues.Date(person.Birth),
            type,
            DemoValues.Date(DateOnly.FromDateTime(at.UtcDateTime)),
            from,
            to,
            ChineseNames.Pick(random, person.County.PoliceStations),
            person.County.Code,
            DemoValues.Timestamp(at.AddSeconds(-random.Next(3600))),
        ];
    }
}
