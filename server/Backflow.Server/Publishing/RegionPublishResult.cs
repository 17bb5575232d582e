namespace Backflow.Server.Publishing;

/// <summary>One region's new extract from a publish.</summary>
internal sealed record RegionPublishResult(string Region, long Sequence, long Upserts, long Deletes);
