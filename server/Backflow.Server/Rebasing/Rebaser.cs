using System.Globalization;
using System.Security.Cryptography;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Server.Audit;
using Backflow.Server.Catalog;
using Backflow.Server.Feeds;
using Backflow.Server.Hosting;
using Backflow.Server.Keys;
using Backflow.Server.Metadata;
using Backflow.Server.Publishing;
using Backflow.Server.Publishing.Input;
using Backflow.Server.Snapshots;
using Backflow.Server.Storage;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Rebasing;

/// <summary>
/// Re-bases a dataset onto the catalog's schema: replaces its key index (with a full reload, or by re-encoding the
/// stored rows when only columns were removed), then publishes a snapshot of every region — every region ever
/// published to, and every region the new rows live in — as the next sequence of a new generation under the new
/// schema version. Agents on the old generation load that snapshot, rebuilding their table when its schema no longer
/// fits. All of it is one write transaction: a failure or crash leaves the old generation, schema and rows in place.
/// </summary>
/// <remarks>
/// Unlike a snapshot it holds the write lock throughout (publishes wait): the key index is being replaced, and a delta
/// routed against it meanwhile would be computed against rows that no longer exist. A re-base is rare and deliberate.
/// </remarks>
internal sealed class Rebaser(
    MetadataDatabase database,
    CatalogService catalog,
    IExtractStore store,
    SigningKeyStore keys,
    AuditLog audit,
    ServerPaths paths,
    TimeProvider time)
{
    public async Task<RebaseResult> RebaseAsync(RebaseRequest request, CancellationToken ct)
    {
        var dataset = catalog.Get(request.Dataset);
        using var connection = database.Open();
        using var transaction = MetadataDatabase.BeginWrite(connection);
        var latest = SchemaRegistry.Latest(connection, dataset.Id, transaction);
        var publishedText = latest is null ? null : SnapshotStore.SchemaText(connection, transaction, dataset.Id, latest.Version);
        var change = SchemaChange.Between(publishedText, dataset);
        var reason = Reason(dataset, latest?.Version, change, request.Rows is not null);

        var now = time.GetUtcNow();
        var schemaVersion = SchemaRegistry.Register(connection, transaction, dataset, now);
        var attempt = "rebase-" + now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var staging = Path.Combine(paths.StagingDirectory, attempt);
        Directory.CreateDirectory(staging);
        var stored = new List<string>();
        try
        {
            long rows;
            if (request.Rows is { } input)
            {
                await using var changes = await ChangesetInput.OpenAsync(dataset, input, null, request.Encoding, ct);
                rows = await KeyIndexRewrite.ReplaceAsync(connection, transaction, dataset, changes, ct);
            }
            else
            {
                rows = KeyIndexRewrite.Project(connection, transaction, PublishedSchema.Parse(publishedText!).ToDefinition(dataset.Id), dataset);
            }

            var snapshots = new List<SnapshotResult>();
            foreach (var region in Regions(connection, transaction, dataset.Id))
            {
                var feed = FeedStore.Find(connection, transaction, dataset.Id, region) ?? FeedState.New(dataset.Id, region);
                var header = new ExtractHeader(dataset.Id, region, feed.LatestSequence + 1, dataset.SchemaHash, ExtractHeader.Snapshot);
                var path = Path.Combine(staging, region + ".parquet");
                var (checksum, bytes, sha256) = await SnapshotFileWriter.WriteAsync(connection, transaction, dataset, header, path, ct);
                // A region never published to starts at generation 1 with this snapshot; the others start their next one.
                var generation = feed.LatestSequence == 0 ? feed.Generation : feed.Generation + 1;
                var snapshot = await SnapshotPublication.PutAsync(
                    connection, transaction, store, keys, dataset, feed, new SnapshotFile(path, bytes, sha256, checksum), generation, schemaVersion, attempt, now, stored, ct);
                audit.Append(connection, transaction, AuditKinds.Rebase, request.Actor, dataset: dataset.Id, region: region, sequence: snapshot.Sequence, bytes: bytes,
                    detail: $"rebase ({reason}): schema version {latest?.Version.ToString(CultureInfo.InvariantCulture) ?? "-"} → {schemaVersion}, generation {generation}, snapshot of {checksum.RowCount} rows, checksum {checksum.SumHex}"
                        + (change.Description.Length == 0 ? string.Empty : $"; {change.Description}"));
                snapshots.Add(snapshot);
            }

            var changeText = change.Description.Length == 0 ? null : change.Description;
            RebaseHistory.Record(connection, transaction, new RebaseRecord(
                dataset.Id, [.. snapshots.Select(s => s.Region)], reason, latest?.Version, schemaVersion,
                snapshots.Count == 0 ? 1 : snapshots.Max(s => s.Generation), rows, changeText, request.Actor, now));
            transaction.Commit();
            return new RebaseResult(dataset.Id, reason, latest?.Version, schemaVersion, changeText, rows, snapshots, Timestamps.ToText(now));
        }
        catch
        {
            // Files already in the store are invisible without their manifests; remove them anyway.
            await Leftovers.DeleteAsync(store, stored);
            throw;
        }
        finally
        {
            Leftovers.DeleteDirectory(staging);
        }
    }

    /// <summary>Why this re-base happens, or why it cannot happen the way it was asked for.</summary>
    private static string Reason(DatasetDefinition dataset, long? version, SchemaChange change, bool full)
    {
        if (full)
        {
            return change.Kind is SchemaChangeKind.Projectable or SchemaChangeKind.NeedsFullReload ? RebaseReasons.BreakingSchema : RebaseReasons.FullReload;
        }

        return change.Kind switch
        {
            SchemaChangeKind.Projectable => RebaseReasons.RemovedColumns,
            SchemaChangeKind.NeedsFullReload => throw new UserError(SchemaGate.Explain(dataset.Id, version ?? 0, change)),
            SchemaChangeKind.Additive => throw new UserError(
                $"'{dataset.Id}': the catalog only appends nullable columns to published schema version {version} ({change.Description}); "
                + "that needs no re-base: publish as usual, agents add the columns in place. To start every region over anyway, "
                + $"run `backflow-server resync --dataset {dataset.Id}`, or `backflow-server rebase --dataset {dataset.Id} --file <every live row>` to replace all rows."),
            _ => throw new UserError(
                version is null
                    ? $"'{dataset.Id}' has never been published: publish it with `backflow-server publish --dataset {dataset.Id} --file …`, or give `rebase --file` every row"
                    : $"'{dataset.Id}': the catalog's schema is published schema version {version}; nothing to convert. To start every region over, run "
                        + $"`backflow-server resync --dataset {dataset.Id}`; to replace every row, `backflow-server rebase --dataset {dataset.Id} --file <every live row>`."),
        };
    }

    /// <summary>Every region published to before, and every region the new rows live in (ordered, for stable output).</summary>
    private static IReadOnlyList<string> Regions(SqliteConnection connection, SqliteTransaction transaction, string dataset) =>
        connection.Query<string>(
            "SELECT region FROM feeds WHERE dataset = @dataset UNION SELECT DISTINCT region FROM region_rows WHERE dataset = @dataset ORDER BY 1",
            new { dataset },
            transaction).ToList();
}
