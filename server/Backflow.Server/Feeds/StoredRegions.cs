using Backflow.Protocol.Regions;

namespace Backflow.Server.Feeds;

/// <summary>
/// Region codes read back from the metadata database. The rules for a valid code tightened over time (a real province
/// prefix since migration 005's release), so an old feed or agent scope may hold a code that no longer parses: such a
/// feed is served to nobody and shown as it is, and such a scope entry grants nothing, instead of failing every
/// agent's feed list, the agent's own requests and the dashboard.
/// </summary>
internal static class StoredRegions
{
    public static bool CoveredBy(RegionScope scope, string stored) =>
        RegionCode.TryParse(stored, out var code) && scope.Covers(code);

    public static string PrefectureOf(string stored) =>
        RegionCode.TryParse(stored, out var code) ? code.Prefecture.Value : stored;

    /// <summary>The valid entries of a stored comma-separated scope; null when none is valid (the agent may see nothing).</summary>
    public static RegionScope? ScopeOf(string stored)
    {
        var valid = new List<RegionCode>();
        foreach (var entry in stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (RegionCode.TryParse(entry, out var code))
            {
                valid.Add(code);
            }
        }

        return valid.Count == 0 ? null : new RegionScope(valid);
    }
}
