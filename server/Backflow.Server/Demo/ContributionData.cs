namespace Backflow.Server.Demo;

/// <summary>
/// The human resources department's social insurance contributions (social-insurance-contributions, conditional):
/// three insurance types per insured person and month; follow-ups add the next month and settle arrears.
/// </summary>
internal sealed class ContributionData(Random random, DateTimeOffset now)
{
    public const string Dataset = "social-insurance-contributions";

    private static readonly string[] Header =
    [
        "insured_id", "contribution_month", "insurance_type", "person_name", "employer_uscc", "contribution_base",
        "employer_amount", "personal_amount", "months_paid", "is_arrears", "county_code", "paid_at",
    ];

    // Employer and personal rates of 浙江 in 2025 (per cent of the contribution base); work injury is employer-only.
    private static readonly (string Type, decimal Employer, decimal Personal)[] Types =
    [
        ("企业职工基本养老保险", 16m, 8m),
        ("失业保险", 0.5m, 0.5m),
        ("工伤保险", 0.4m, 0m),
    ];

    private readonly List<string?[]> _rows = [];
    private readonly Dictionary<string, (string? Employer, decimal Base, int Months)> _insured = new(StringComparer.Ordinal);

    public DemoChangeset Initial(IReadOnlyList<DemoPerson> people, MarketEntityData employers, int months)
    {
        var first = FirstOfMonth(now).AddMonths(-months);
        foreach (var person in people)
        {
            var companies = employers.Employers(person.County);
            var flexible = companies.Count == 0 || random.Next(6) == 0;
            _insured[person.IdNumber] = (flexible ? null : ChineseNames.Pick(random, companies), random.Next(4462, 24930), random.Next(1, 360));
        }

        for (var m = 0; m < months; m++)
        {
            _rows.AddRange(Month(people, first.AddMonths(m), settled: m < months - 1));
        }

        return new DemoChangeset(Dataset, $"{_rows.Count} contributions over {months} months", DemoCsv.Write(Header, _rows));
    }

    /// <summary>The current month for everyone (some in arrears), and last month's arrears settled.</summary>
    public DemoChangeset Changes(IReadOnlyList<DemoPerson> people, DateTimeOffset at)
    {
        var month = FirstOfMonth(now);
        var settled = _rows.Where(r => r[9] == "true").ToList();
        foreach (var row in settled)
        {
            row[9] = "false";
            row[11] = DemoValues.Timestamp(at);
        }

        var added = Month(people, month, settled: false).ToList();
        _rows.AddRange(added);
        return new DemoChangeset(Dataset, $"{added.Count} contributions for {DemoValues.Date(month)}, {settled.Count} arrears settled", DemoCsv.Write(Header, settled.Concat(added)));
    }

    private IEnumerable<string?[]> Month(IReadOnlyList<DemoPerson> people, DateOnly month, bool settled)
    {
        foreach (var person in people)
        {
            var (employer, basis, months) = _insured[person.IdNumber];
            _insured[person.IdNumber] = (employer, basis, months + 1);
            var arrears = !settled && random.Next(8) == 0;
            foreach (var (type, employerRate, personalRate) in Types)
            {
                if (employer is null && type == "工伤保险")
                {
                    continue;
                }

                // Flexible workers pay both shares themselves (20 % for pensions), with no employer amount.
                var personal = employer is null ? basis * (employerRate + personalRate) / 100m : basis * personalRate / 100m;
                yield return
                [
                    person.IdNumber,
                    DemoValues.Date(month),
                    type,
                    person.Name,
                    employer,
                    DemoValues.Money(basis),
                    employer is null ? null : DemoValues.Money(basis * employerRate / 100m),
                    DemoValues.Money(personal),
                    DemoValues.Integer(months + 1),
                    DemoValues.Boolean(arrears),
                    person.County.Code,
                    arrears ? null : DemoValues.Timestamp(PaidAt(month)),
                ];
            }
        }
    }

    /// <summary>Mid-month, as banks settle, but never after now: the current month may not have reached that day yet.</summary>
    private DateTimeOffset PaidAt(DateOnly month)
    {
        var paid = new DateTimeOffset(month.AddDays(random.Next(10, 25)).ToDateTime(new TimeOnly(2, random.Next(60))), TimeSpan.Zero);
        return paid < now ? paid : now.AddMinutes(-random.Next(1, 600));
    }

    private static DateOnly FirstOfMonth(DateTimeOffset time) => new(time.Year, time.Month, 1);
}
