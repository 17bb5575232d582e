using Backflow.Server.Audit;
using Backflow.Server.Hosting;
using Backflow.Server.Metadata;
using Backflow.Server.Snapshots;
using Backflow.Server.Storage;
using Dapper;

namespace Backflow.Server.Retention;

/// <summary>
/// Removes extracts (deltas and superseded snapshots) that are both older than the feed's latest snapshot and
/// published before the retention window. The latest snapshot is never removed, and neither is anything inside the
/// window, so an agent offline for less than the window still catches up without a snapshot. Feeds then report
/// the oldest sequence still available; asking for an older one answers 410 sequence-expired.
/// </summary>
internal sealed class RetentionService(MetadataDatabase database, IExtractStore store, AuditLog audit, TimeProvider time)
{
    public async Task<IReadOnlyList<RetentionResult>> RunAsync(TimeSpan window, string actor, CancellationToken ct)
    {
        if (window < TimeSpan.Zero)
        {
            throw new UserError($"the retention window is {window}; it must be zero or more (Backflow:Retention:Window, or --window-days)");
        }

        var cutoff = Timestamps.ToText(time.GetUtcNow() - window);
        IReadOnlyList<(string Dataset, string Region)> feeds;
        using (var connection = database.Open())
        {
            feeds = [.. connection.Query<(string, string)>("SELECT dataset, region FROM feeds ORDER BY dataset, region")];
        }

        var results = new List<RetentionResult>();
        foreach (var (dataset, region) in feeds)
        {
            ct.ThrowIfCancellationRequested();
            if (Remove(dataset, region, cutoff, window, actor) is { } removed)
            {
                results.Add(removed.Result);
                foreach (var name in removed.Files)
                {
                    // After the commit: a crash here leaves an unreferenced file, never a manifest without its file.
                    await store.DeleteAsync(name, ct);
                }
            }
        }

        return results;
    }

    private (RetentionResult Result, IReadOnlyList<string> Files)? Remove(string dataset, string region, string cutoff, TimeSpan window, string actor)
    {
        using var connection = database.Open();
        using var transaction = MetadataDatabase.BeginWrite(connection);
        var snapshot = SnapshotStore.LatestSnapshot(connection, transaction, dataset, region);
        if (snapshot is null)
        {
            return null; // without a snapshot every delta is still needed to build the region from nothing
        }

        var doomed = connection.Query<(long Sequence, string FileName, long Bytes)>(
            """
            SELECT sequence, file_name, file_bytes FROM manifests
            WHERE dataset = @dataset AND region = @region AND sequence < @snapshot AND published_at < @cutoff
            ORDER BY sequence
            """,
            new { dataset, region, snapshot, cutoff },
            transaction).ToList();
        if (doomed.Count == 0)
        {
            return null;
        }

        var to = doomed[^1].Sequence;
        connection.Execute(
            "DELETE FROM manifests WHERE dataset = @dataset AND region = @region AND sequence <= @to AND sequence < @snapshot AND published_at < @cutoff",
            new { dataset, region, to, snapshot, cutoff },
            transaction);
        var oldest = connection.ExecuteScalar<long>(
            "SELECT MIN(sequence) FROM manifests WHERE dataset = @dataset AND region = @region", new { dataset, region }, transaction);
        connection.Execute(
            "UPDATE feeds SET oldest_sequence = @oldest WHERE dataset = @dataset AND region = @region", new { oldest, dataset, region }, transaction);
        var bytes = doomed.Sum(d => d.Bytes);
        audit.Append(connection, transaction, AuditKinds.Retention, actor, dataset: dataset, region: region, sequence: to, bytes: bytes,
            detail: $"removed {doomed.Count} extract(s), sequences {doomed[0].Sequence}..{to} ({bytes} bytes), older than snapshot {snapshot} and the {window.TotalDays:0.##}-day window; oldest available is now {oldest}");
        transaction.Commit();
        return (new RetentionResult(dataset, region, doomed[0].Sequence, to, doomed.Count, bytes, oldest), [.. doomed.Select(d => d.FileName)]);
    }
}
