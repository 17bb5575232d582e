using System.Security.Cryptography;
using System.Text.Json;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Manifests;
using Backflow.Protocol.Regions;
using Backflow.Server.Audit;
using Backflow.Server.Catalog;
using Backflow.Server.Feeds;
using Backflow.Server.Hosting;
using Backflow.Server.Keys;
using Backflow.Server.Metadata;
using Backflow.Server.Publishing.Input;
using Backflow.Server.Rebasing;
using Backflow.Server.Storage;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Publishing;

/// <summary>
/// Publishes a changeset: validates every row, routes it by region through the key index, writes one extract
/// per touched region and commits all of them with their signed manifests in one transaction. Any problem,
/// error or crash before that commit leaves no extract, sequence or index change visible anywhere.
/// </summary>
internal sealed class Publisher(
    MetadataDatabase database,
    CatalogService catalog,
    IExtractStore store,
    SigningKeyStore keys,
    AuditLog audit,
    ServerPaths paths,
    TimeProvider time)
{
    public async Task<PublishResult> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var dataset = catalog.Get(request.Dataset);
        var publishId = request.PublishId ?? NewPublishId();
        PublishIds.Validate(publishId);

        var fingerprint = await InputFingerprint.ComputeAsync(request.Changes, request.Deletes, cancellationToken);
        using var connection = database.Open();
        if (FindPrevious(connection, null, publishId, dataset.Id, fingerprint) is { } previous)
        {
            return previous;
        }

        // The write lock is taken before reading anything: sequences, checksums and the key index cannot
        // move under this publish, and two publishers queue instead of racing.
        using var transaction = MetadataDatabase.BeginWrite(connection);
        if (FindPrevious(connection, transaction, publishId, dataset.Id, fingerprint) is { } raced)
        {
            return raced;
        }

        // A breaking catalog change is refused before anything is read: it needs `backflow-server rebase`, never deltas.
        SchemaGate.EnsurePublishable(connection, transaction, dataset);
        var now = time.GetUtcNow();
        var schemaVersion = SchemaRegistry.Register(connection, transaction, dataset, now);
        // Unique per attempt, not per publish id: a retry of the same publish id after a crash must collide neither
        // with that attempt's staging leftovers nor with a committed but unreferenced file (the store never
        // overwrites). Found by the SIGKILL-during-publish fault trials: the retry failed on the old staging file.
        var attempt = publishId + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var staging = Path.Combine(paths.StagingDirectory, attempt);
        var routing = new ChangeRouter(dataset, connection, transaction, staging);
        try
        {
            // Made once here: the regions' staging files and the spill file are made in it as they are first needed.
            Directory.CreateDirectory(staging);
            await using var input = await ChangesetInput.OpenAsync(dataset, request.Changes, request.Deletes, request.Encoding, cancellationToken);
            await routing.RouteAsync(input, request.Progress, cancellationToken);
            if (input.Problems.HasProblems)
            {
                throw new PublishRejectedException(dataset.Id, input.Problems);
            }

            var regions = new List<RegionPublishResult>();
            var committed = new List<string>();
            var batches = routing.Batches.ToList();
            var finishing = new FinishAhead(batches.Count, i => batches[i].FinishAsync(cancellationToken), FinishAhead.DefaultWindow);
            try
            {
                for (var i = 0; i < batches.Count; i++)
                {
                    var batch = batches[i];
                    await finishing.FinishedAsync(i);
                    var name = ExtractNames.For(dataset.Id, batch.Region, batch.Sequence, attempt);
                    // Listed before the commit: a commit that fails may still have stored the object.
                    committed.Add(name);
                    await store.CommitAsync(batch.StagingPath, name, cancellationToken);
                    CommitManifest(connection, transaction, dataset, batch, schemaVersion, name, publishId, now);
                    regions.Add(new RegionPublishResult(batch.Region, batch.Sequence, batch.Upserts, batch.Deletes));
                }

                await store.FlushAsync(committed, cancellationToken);
                var result = new PublishResult(publishId, dataset.Id, regions, routing.RowsRead, routing.Unchanged, routing.DeletesNotFound, Timestamps.ToText(now));
                RecordPublish(connection, transaction, result, request.Actor, fingerprint);
                transaction.Commit();
                return result;
            }
            catch
            {
                await finishing.SettleAsync();
                // Files already moved into the store are invisible without their manifests; remove them anyway.
                await Leftovers.DeleteAsync(store, committed);
                throw;
            }
        }
        finally
        {
            await routing.DisposeAsync();
            Leftovers.DeleteDirectory(staging);
        }
    }

    private void CommitManifest(SqliteConnection connection, SqliteTransaction transaction, DatasetDefinition dataset, RegionBatch batch,
        long schemaVersion, string name, string publishId, DateTimeOffset now)
    {
        var manifest = new Manifest(
            dataset.Id,
            RegionCode.Parse(batch.Region),
            batch.Sequence,
            ExtractKind.Delta,
            (int)batch.Feed.Generation,
            (int)schemaVersion,
            dataset.SchemaHash,
            new ManifestFile(ExtractNames.FileNameOf(name), batch.Bytes, batch.Sha256),
            new ManifestCounts(batch.Upserts, batch.Deletes),
            new ManifestState(batch.Checksum.RowCount, batch.Checksum.Sum),
            publishId,
            now);
        var envelope = Dsse.Serialize(ManifestSigner.Sign(manifest, keys.Current));
        FeedStore.InsertManifest(connection, transaction, new StoredManifest(
            dataset.Id, batch.Region, batch.Sequence, "delta", batch.Feed.Generation, name, batch.Bytes, batch.Sha256,
            batch.Upserts, batch.Deletes, publishId, Timestamps.ToText(now), envelope));
        FeedStore.Save(connection, transaction, batch.Feed with
        {
            LatestSequence = batch.Sequence,
            SchemaVersion = schemaVersion,
            Checksum = batch.Checksum,
        }, now);
    }

    private void RecordPublish(SqliteConnection connection, SqliteTransaction transaction, PublishResult result, string actor, string? fingerprint)
    {
        connection.Execute(
            """
            INSERT INTO publishes (publish_id, dataset, actor, published_at, result_json, input_sha256)
            VALUES (@PublishId, @Dataset, @actor, @PublishedAt, @json, @fingerprint)
            """,
            new { result.PublishId, result.Dataset, actor, result.PublishedAt, json = JsonSerializer.Serialize(result, ServerJson.Options), fingerprint },
            transaction);
        audit.Append(connection, transaction, AuditKinds.Publish, actor, dataset: result.Dataset,
            detail: $"publish {result.PublishId}: {result.Regions.Count} region(s) [{string.Join(',', result.Regions.Select(r => r.Region + "#" + r.Sequence))}], {result.Upserts} upserts, {result.Deletes} deletes, {result.Unchanged} unchanged, {result.DeletesNotFound} deletes of unknown keys");
    }

    private static PublishResult? FindPrevious(SqliteConnection connection, SqliteTransaction? transaction, string publishId, string dataset, string? fingerprint)
    {
        var row = connection.QuerySingleOrDefault<(string Dataset, string Json, string? Fingerprint, string PublishedAt)>(
            "SELECT dataset, result_json, input_sha256, published_at FROM publishes WHERE publish_id = @publishId", new { publishId }, transaction);
        if (row.Json is null)
        {
            return null;
        }

        if (row.Dataset != dataset)
        {
            throw new UserError($"publish id '{publishId}' was already used for dataset '{row.Dataset}'; use a new publish id");
        }

        if (row.Fingerprint is not null && fingerprint is not null && row.Fingerprint != fingerprint)
        {
            throw new PublishIdReusedException(publishId, row.PublishedAt);
        }

        return JsonSerializer.Deserialize<PublishResult>(row.Json, ServerJson.Options)! with { Repeated = true };
    }

    private string NewPublishId() =>
        time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}
