namespace Backflow.Protocol.Catalog;

/// <summary>How often the provider promises to publish changes; used to judge whether a feed is late.</summary>
public enum UpdateCycle
{
    /// <summary>Changes are published as they happen.</summary>
    Realtime,

    /// <summary>At least once a day.</summary>
    Daily,

    /// <summary>At least once a week.</summary>
    Weekly,

    /// <summary>At least once a month.</summary>
    Monthly,

    /// <summary>At least once a quarter.</summary>
    Quarterly,

    /// <summary>At least once a year.</summary>
    Yearly,

    /// <summary>No promised cycle.</summary>
    Irregular,
}
