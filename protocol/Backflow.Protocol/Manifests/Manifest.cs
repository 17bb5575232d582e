using Backflow.Protocol.Regions;

namespace Backflow.Protocol.Manifests;

/// <summary>
/// Describes one immutable extract of one (dataset, region) sequence: what it holds, the file's hash, and the
/// region's state after applying it. Travels signed inside a DSSE envelope (see <see cref="ManifestSigner"/>).
/// </summary>
/// <param name="Dataset">The catalog dataset id, e.g. <c>market-entities</c>.</param>
/// <param name="Region">The region the extract belongs to.</param>
/// <param name="Sequence">The extract's sequence within (dataset, region), from 1.</param>
/// <param name="Kind">Whether the extract is a delta or a snapshot.</param>
/// <param name="Generation">The region's generation, from 1; it increments when the server re-bases the region.</param>
/// <param name="SchemaVersion">The dataset's schema version, from 1.</param>
/// <param name="SchemaHash">The lowercase hex SHA-256 of the dataset's canonical schema text.</param>
/// <param name="File">The extract file.</param>
/// <param name="Counts">How many upserts and deletes the extract holds.</param>
/// <param name="State">The region's row count and checksum after applying the extract.</param>
/// <param name="PublishId">The id of the publish that produced the extract.</param>
/// <param name="PublishedAt">When it was published; written in UTC with microseconds (finer ticks are dropped).</param>
public sealed record Manifest(
    string Dataset,
    RegionCode Region,
    long Sequence,
    ExtractKind Kind,
    int Generation,
    int SchemaVersion,
    string SchemaHash,
    ManifestFile File,
    ManifestCounts Counts,
    ManifestState State,
    string PublishId,
    DateTimeOffset PublishedAt)
{
    /// <summary>The value of the <c>format</c> field of every version-1 manifest.</summary>
    public const string FormatV1 = "backflow.manifest/1";

    /// <summary>The DSSE payload type of a signed manifest.</summary>
    public const string PayloadType = "application/vnd.backflow.manifest+json";
}
