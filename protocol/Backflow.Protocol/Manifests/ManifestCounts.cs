namespace Backflow.Protocol.Manifests;

/// <summary>How many rows of each operation an extract holds.</summary>
/// <param name="Upserts">Rows inserted or replaced.</param>
/// <param name="Deletes">Rows deleted.</param>
public sealed record ManifestCounts(long Upserts, long Deletes);
