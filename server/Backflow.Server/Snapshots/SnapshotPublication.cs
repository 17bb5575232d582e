using Backflow.Protocol.Catalog;
using Backflow.Protocol.Manifests;
using Backflow.Protocol.Regions;
using Backflow.Server.Feeds;
using Backflow.Server.Keys;
using Backflow.Server.Metadata;
using Backflow.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Snapshots;

/// <summary>
/// Makes a staged snapshot the next sequence of its feed inside the caller's write transaction: moves the file into
/// the store, signs and inserts its manifest and saves the feed's new state. Shared by snapshots, resyncs and
/// schema re-bases, which differ only in the generation, the schema version and the rows.
/// </summary>
internal static class SnapshotPublication
{
    /// <param name="stored">Receives the store name before the file is moved, so that the caller can delete it when the
    /// transaction does not commit (a failed move may still have stored the object).</param>
    public static async Task<SnapshotResult> PutAsync(
        SqliteConnection connection, SqliteTransaction transaction, IExtractStore store, SigningKeyStore keys, DatasetDefinition dataset,
        FeedState feed, SnapshotFile file, long generation, long schemaVersion, string attempt, DateTimeOffset now, ICollection<string> stored,
        CancellationToken ct)
    {
        var sequence = feed.LatestSequence + 1;
        var name = ExtractNames.For(dataset.Id, feed.Region, sequence, attempt);
        stored.Add(name);
        await store.CommitAsync(file.Path, name, ct);
        await store.FlushAsync([name], ct);
        var manifest = new Manifest(
            dataset.Id, RegionCode.Parse(feed.Region), sequence, ExtractKind.Snapshot, (int)generation, (int)schemaVersion, dataset.SchemaHash,
            new ManifestFile(ExtractNames.FileNameOf(name), file.Bytes, file.Sha256),
            new ManifestCounts(file.Checksum.RowCount, 0),
            new ManifestState(file.Checksum.RowCount, file.Checksum.Sum),
            attempt,
            now);
        var envelope = Dsse.Serialize(ManifestSigner.Sign(manifest, keys.Current));
        FeedStore.InsertManifest(connection, transaction, new StoredManifest(
            dataset.Id, feed.Region, sequence, "snapshot", generation, name, file.Bytes, file.Sha256, file.Checksum.RowCount, 0, attempt, Timestamps.ToText(now), envelope));
        FeedStore.Save(connection, transaction, feed with { LatestSequence = sequence, Generation = generation, SchemaVersion = schemaVersion, Checksum = file.Checksum }, now);
        return new SnapshotResult(dataset.Id, feed.Region, sequence, generation, file.Checksum.RowCount, file.Checksum.SumHex, file.Bytes);
    }
}
