namespace Backflow.Protocol.Regions;

/// <summary>The administrative level a GB/T 2260 code denotes.</summary>
public enum RegionLevel
{
    /// <summary><c>000000</c>: dataset-wide reference rows that every grantee receives.</summary>
    Nationwide,

    /// <summary><c>xx0000</c>: a province, autonomous region or municipality.</summary>
    Province,

    /// <summary><c>xxxx00</c>: a prefecture-level unit.</summary>
    Prefecture,

    /// <summary>Anything else: a county-level unit.</summary>
    County,
}
