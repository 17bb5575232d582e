namespace Backflow.Server.Demo;

/// <summary>An agent the demo creates: who it is, what it may receive, and whether it is left behind on purpose.</summary>
internal sealed record DemoAgentPlan(string Name, string Regions, IReadOnlyList<string> Datasets, bool LeftBehind)
{
    /// <summary>Recorded with grants of conditional datasets, as an operator must (GrantPolicy refuses them without it).</summary>
    public const string Approval = "杭数资〔2026〕3号";

    /// <summary>A prefecture bureau with everything, a district with two datasets, and a district that stops after one sync.</summary>
    public static readonly IReadOnlyList<DemoAgentPlan> All =
    [
        new("杭州市数据资源管理局", DemoCounties.Prefecture, DemoData.Datasets, LeftBehind: false),
        new("西湖区数据资源管理局", "330106", [MarketEntityData.Dataset, HouseholdData.Dataset], LeftBehind: false),
        new("萧山区数据资源管理局", "330109", [MarketEntityData.Dataset, ContributionData.Dataset], LeftBehind: true),
    ];
}
