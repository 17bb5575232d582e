using System.Globalization;
using System.Security.Cryptography;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Regions;
using Backflow.Server.Audit;
using Backflow.Server.Catalog;
using Backflow.Server.Feeds;
using Backflow.Server.Hosting;
using Backflow.Server.Keys;
using Backflow.Server.Metadata;
using Backflow.Server.Publishing;
using Backflow.Server.Rebasing;
using Backflow.Server.Rows;
using Backflow.Server.Storage;

namespace Backflow.Server.Snapshots;

/// <summary>
/// Builds snapshot extracts: all live rows of a (dataset, region) as of its latest sequence S, published as
/// sequence S + 1 with kind <c>snapshot</c> (sequences stay contiguous; a snapshot changes no rows, so its
/// manifest's state is the feed's current state). With <c>newGeneration</c> the snapshot also starts a new
/// generation, which makes every agent re-baseline from it (<c>resync</c>).
/// </summary>
/// <remarks>
/// The rows are read in a read transaction (WAL gives it a stable view) without holding the write lock, so
/// publishes are not blocked for the minutes a large region takes; the result is committed only if no publish
/// moved the feed meanwhile, otherwise the build is discarded and retried.
/// </remarks>
internal sealed class SnapshotBuilder(
    MetadataDatabase database,
    CatalogService catalog,
    IExtractStore store,
    SigningKeyStore keys,
    AuditLog audit,
    ServerPaths paths,
    TimeProvider time)
{
    private const int Attempts = 3;

    /// <summary>Snapshots every published region of the dataset, or only <paramref name="region"/>.</summary>
    public async Task<IReadOnlyList<SnapshotResult>> BuildAsync(string datasetId, string? region, bool newGeneration, string actor, CancellationToken ct)
    {
        var dataset = catalog.Get(datasetId);
        IReadOnlyList<string> regions;
        using (var connection = database.Open())
        {
            regions = region is not null ? [region] : [.. FeedStore.ForDataset(connection, dataset.Id).Select(f => f.Region)];
        }

        var results = new List<SnapshotResult>(regions.Count);
        foreach (var code in regions)
        {
            results.Add(await BuildRegionAsync(dataset, code, newGeneration, actor, ct));
        }

        return results;
    }

    public async Task<SnapshotResult> BuildRegionAsync(DatasetDefinition dataset, string region, bool newGeneration, string actor, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryBuildAsync(dataset, region, newGeneration, actor, ct);
            }
            catch (Exception e) when ((e is SnapshotConflictException or RowFileMissingException) && attempt < Attempts)
            {
                // A publish won the race, or `compact` or a full re-base replaced the row file as this read began: the
                // next attempt snapshots the newer state.
            }
        }
    }

    private async Task<SnapshotResult> TryBuildAsync(DatasetDefinition dataset, string region, bool newGeneration, string actor, CancellationToken ct)
    {
        if (!RegionCode.TryParse(region, out _, out var regionError))
        {
            throw new UserError($"--region: {regionError}");
        }

        var attempt = "snapshot-" + time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var staging = Path.Combine(paths.StagingDirectory, attempt);
        Directory.CreateDirectory(staging);
        try
        {
            FeedState feed;
            (Protocol.Rows.RegionChecksum Checksum, long Bytes, string Sha256) file;
            var path = Path.Combine(staging, region + ".parquet");
            using (var read = database.Open())
            using (var snapshot = read.BeginTransaction(deferred: true))
            {
                feed = FeedStore.Find(read, snapshot, dataset.Id, region)
                    ?? throw new UserError($"{dataset.Id}/{region} has never been published to; there is nothing to snapshot");
                CheckSchema(read, snapshot, dataset);
                var header = new ExtractHeader(dataset.Id, region, feed.LatestSequence + 1, dataset.SchemaHash, ExtractHeader.Snapshot);
                file = await SnapshotFileWriter.WriteAsync(read, snapshot, dataset, header, path, ct);
            }

            if (file.Checksum != feed.Checksum)
            {
                // The key index and the feed's checksum are written in one transaction; a difference means the
                // metadata database was edited or damaged, and publishing a snapshot of it would spread the damage.
                throw new InvalidOperationException(
                    $"{dataset.Id}/{region}: the key index holds {file.Checksum} but the feed's state is {feed.Checksum}; the metadata database is inconsistent, no snapshot was published");
            }

            return await CommitAsync(dataset, feed, newGeneration, path, attempt, file.Bytes, file.Sha256, actor, ct);
        }
        finally
        {
            Leftovers.DeleteDirectory(staging);
        }
    }

    private async Task<SnapshotResult> CommitAsync(DatasetDefinition dataset, FeedState feed, bool newGeneration, string path, string attempt,
        long bytes, string sha256, string actor, CancellationToken ct)
    {
        using var connection = database.Open();
        using var transaction = MetadataDatabase.BeginWrite(connection);
        var current = FeedStore.Find(connection, transaction, dataset.Id, feed.Region);
        if (current is null || current.LatestSequence != feed.LatestSequence || current.Generation != feed.Generation)
        {
            throw new SnapshotConflictException($"{dataset.Id}/{feed.Region} moved to sequence {current?.LatestSequence} while its snapshot of {feed.LatestSequence} was built");
        }

        var now = time.GetUtcNow();
        var schemaVersion = SchemaRegistry.Register(connection, transaction, dataset, now);
        var generation = feed.Generation + (newGeneration ? 1 : 0);
        var stored = new List<string>(1);
        try
        {
            var result = await SnapshotPublication.PutAsync(
                connection, transaction, store, keys, dataset, feed, new SnapshotFile(path, bytes, sha256, feed.Checksum), generation, schemaVersion, attempt, now, stored, ct);
            audit.Append(connection, transaction, newGeneration ? AuditKinds.Resync : AuditKinds.Snapshot, actor, dataset: dataset.Id, region: feed.Region, sequence: result.Sequence, bytes: bytes,
                detail: $"{(newGeneration ? "resync: generation " + generation + ", " : string.Empty)}snapshot of {feed.Checksum.RowCount} rows as of sequence {feed.LatestSequence}, checksum {feed.Checksum.SumHex}");
            if (newGeneration)
            {
                RebaseHistory.Record(connection, transaction, new RebaseRecord(
                    dataset.Id, [feed.Region], RebaseReasons.Resync, feed.SchemaVersion, schemaVersion, generation, feed.Checksum.RowCount, null, actor, now));
            }

            transaction.Commit();
            return result;
        }
        catch
        {
            await Leftovers.DeleteAsync(store, stored);
            throw;
        }
    }

    /// <summary>A snapshot under a schema that cannot carry the stored rows would spread the break to every new agent;
    /// <see cref="SchemaGate"/> names the <c>rebase</c> command instead.</summary>
    private static void CheckSchema(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, DatasetDefinition dataset) =>
        SchemaGate.EnsurePublishable(connection, transaction, dataset);
}
