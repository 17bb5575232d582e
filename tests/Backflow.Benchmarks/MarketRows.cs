using System.Globalization;
using System.Text;

namespace Backflow.Benchmarks;

/// <summary>
/// Deterministic rows of the sample dataset <c>market-entities</c> (12 columns: strings, a decimal, a date and a
/// timestamp), all in one county so that one publish makes one extract of every row (or, placed by
/// <see cref="NationwideRegion"/>, spread over thousands of counties). Row <c>i</c> with
/// <c>version</c> v is the same bytes in every run; a higher version changes the status and update time,
/// which is what a real "1 % changed" delta looks like.
/// </summary>
internal static class MarketRows
{
    public const string Dataset = "market-entities";
    public const string Region = "330106";
    public const int ColumnCount = 12;

    private static readonly string[] Names = ["浙江钱塘智造有限公司", "杭州西湖数字科技有限公司", "余杭区良渚茶叶专业合作社", "杭州文三路餐饮店", "浙江之江物流有限公司"];
    private static readonly string[] Types = ["有限责任公司", "个体工商户", "农民专业合作社", "股份有限公司"];
    private static readonly string[] People = ["吴芳", "孙燕", "王伟", "李娜", "张敏", "刘洋", "陈静"];
    private static readonly string[] Scopes = ["软件开发；信息技术咨询服务", "茶叶种植；初级农产品收购", "餐饮服务", "道路货物运输；仓储服务"];
    private static readonly string[] Statuses = ["存续", "在业", "吊销", "注销", "迁出"];
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Valid GB/T 2260 province prefixes, for data spread over a whole country.</summary>
    private static readonly int[] Provinces = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65];

    /// <summary>Counties a nationwide dataset spreads over: 31 provinces × 10 prefectures × 10 counties.</summary>
    public static readonly int NationwideCounties = Provinces.Length * 100;

    /// <summary>The county of row <paramref name="i"/> in data spread over <see cref="NationwideCounties"/> counties,
    /// scattered (not in runs) the way rows of a national register sorted by registration number are.</summary>
    public static string NationwideRegion(long i)
    {
        var county = (int)((ulong)(i * 2_654_435_761L) % (ulong)NationwideCounties);
        return Provinces[county / 100].ToString("D2", CultureInfo.InvariantCulture)
            + (county / 10 % 10 + 1).ToString("D2", CultureInfo.InvariantCulture)
            + (county % 10 + 1).ToString("D2", CultureInfo.InvariantCulture);
    }

    public static string Uscc(long i) => "91330106" + i.ToString("D10", CultureInfo.InvariantCulture);

    public static string Name(long i) => Names[i % Names.Length] + i.ToString(CultureInfo.InvariantCulture);

    public static string Type(long i) => Types[i % Types.Length];

    /// <summary>Every 7th row has no legal representative: nulls in the middle of a row.</summary>
    public static string? Person(long i) => i % 7 == 0 ? null : People[i % People.Length];

    public static decimal? Capital(long i) => i % 11 == 0 ? null : decimal.Round(i % 100_000 * 1.37m + 0.05m, 2);

    public static DateOnly Established(long i) => new DateOnly(2000, 1, 1).AddDays((int)(i % 9_000));

    public static string? Scope(long i) => i % 13 == 0 ? null : Scopes[i % Scopes.Length];

    public static string Address(long i) => "浙江省杭州市西湖区文三路" + (i % 999).ToString(CultureInfo.InvariantCulture) + "号";

    public static string Status(long i, int version) => Statuses[(i + version) % Statuses.Length];

    /// <summary>Null on every 5th row: trailing nulls before the last column.</summary>
    public static string? Authority(long i) => i % 5 == 0 ? null : "杭州市西湖区市场监督管理局";

    /// <summary>Whole microseconds, as the protocol requires.</summary>
    public static DateTime Updated(long i, int version) => Epoch.AddTicks((i * 1_000_010) + (version * 36_000_000_000L));

    public static object?[] Values(long i, int version) =>
    [
        Uscc(i), Name(i), Type(i), Person(i), Capital(i), Established(i), Scope(i), Address(i), Region, Status(i, version), Authority(i), Updated(i, version),
    ];

    public static string CsvHeader =>
        "uscc,entity_name,entity_type,legal_representative,registered_capital,established_on,business_scope,address,county_code,status,registration_authority,updated_at";

    /// <summary>One CSV line (no quoting needed: no value holds a comma, quote or line break).</summary>
    public static void AppendCsv(StringBuilder line, long i, int version, string region = Region)
    {
        var inv = CultureInfo.InvariantCulture;
        line.Append(Uscc(i)).Append(',').Append(Name(i)).Append(',').Append(Type(i)).Append(',').Append(Person(i)).Append(',');
        if (Capital(i) is { } capital)
        {
            line.Append(capital.ToString("F2", inv));
        }

        line.Append(',').Append(Established(i).ToString("yyyy-MM-dd", inv)).Append(',').Append(Scope(i)).Append(',').Append(Address(i))
            .Append(',').Append(region).Append(',').Append(Status(i, version)).Append(',').Append(Authority(i)).Append(',')
            .Append(Updated(i, version).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", inv));
    }
}
