namespace Backflow.Server.Demo;

/// <summary>The six districts of 杭州市 (3301xx) the demo publishes for.</summary>
internal static class DemoCounties
{
    public const string Prefecture = "330100";

    public static readonly IReadOnlyList<DemoCounty> All =
    [
        new("330102", "上城区", ["解放路", "庆春路", "望江路", "秋涛路", "钱江路"], ["湖滨派出所", "清波派出所", "望江派出所"]),
        new("330105", "拱墅区", ["莫干山路", "湖墅南路", "上塘路", "丽水路", "东新路"], ["米市巷派出所", "大关派出所", "和睦派出所"]),
        new("330106", "西湖区", ["文三路", "天目山路", "古墩路", "西溪路", "曙光路"], ["北山派出所", "翠苑派出所", "文新派出所"]),
        new("330108", "滨江区", ["江南大道", "滨盛路", "长河路", "网商路", "春晓路"], ["西兴派出所", "长河派出所", "浦沿派出所"]),
        new("330109", "萧山区", ["市心中路", "金城路", "人民路", "通惠路", "育才路"], ["城厢派出所", "北干派出所", "宁围派出所"]),
        new("330110", "余杭区", ["文一西路", "五常大道", "良睦路", "荆长大道", "临平大道"], ["仓前派出所", "五常派出所", "闲林派出所"]),
    ];

    public static DemoCounty Get(string code) => All.First(c => c.Code == code);
}
