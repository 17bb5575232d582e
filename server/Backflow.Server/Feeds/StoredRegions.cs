using Backflow.Protocol.Regions;

namespace Backflow.Server.Feeds;

/// <summary>
/// Region codes read back from the metadata database. The rules for a valid code tightened over time (a real province
/// prefix since migration 005's release), so an old feed may hold a code that no longer parses: it is served to nobody
/// and shown as it is, instead of failing every agent's feed list and the dashboard.
/// </summary>
internal static class StoredRegions
{
    public static bool CoveredBy(RegionScope scope, string stored) =>
        RegionCode.TryParse(stored, out var code) && scope.Covers(code);

    public static string PrefectureOf(string stored) =>
        RegionCode.TryParse(stored, out var code) ? code.Prefecture.Value : stored;
}
