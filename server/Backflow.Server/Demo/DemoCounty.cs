namespace Backflow.Server.Demo;

/// <summary>A county-level unit of the demo prefecture, with street names and police stations for realistic rows.</summary>
internal sealed record DemoCounty(string Code, string Name, IReadOnlyList<string> Roads, IReadOnlyList<string> PoliceStations)
{
    public string FullName => "浙江省杭州市" + Name;

    public string MarketAuthority => "杭州市" + Name + "市场监督管理局";
}
