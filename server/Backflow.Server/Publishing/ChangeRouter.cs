using System.Runtime.ExceptionServices;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;
using Backflow.Server.Feeds;
using Backflow.Server.Publishing.Input;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Publishing;

/// <summary>
/// Routes each validated row to the region(s) it changes, using the key index inside the publish
/// transaction: new or changed rows become upserts in their region, a row that moved becomes an upsert in
/// the new region and a delete in the old one, an unchanged row (same digest) produces nothing, and a delete
/// goes to the region where the key lives.
/// </summary>
internal sealed class ChangeRouter(DatasetDefinition dataset, SqliteConnection connection, SqliteTransaction transaction, string stagingDirectory)
    : IAsyncDisposable
{
    /// <summary>Rows buffered across all regions before the regions' buffers are written out as row groups, so that a
    /// publish over many counties does not hold every row until the end (each region alone writes a group at 10,000
    /// rows; 1,000,000 rows over 100 counties peaked at 745 MB before this bound, 371 MB with it). A single region never
    /// reaches it.</summary>
    internal const int BufferedRowBudget = 100_000;

    /// <summary>The smallest row group written early; smaller buffers are spilled to disk instead (<see cref="RowSpill"/>).
    /// Every row group costs its extract's footer (and the writer's memory until the file is closed) about 10 KB of
    /// column metadata, so writing tiny ones trades rows for footers: over 3,000 counties with a 20,000-row budget and
    /// no minimum, the peak rose to 1.5 GB.</summary>
    internal const int SmallestEarlyRowGroup = 1_000;

    private readonly KeyIndex _index = new(connection, transaction, dataset.Id);
    private readonly RowSpill _spill = new(dataset, Path.Combine(stagingDirectory, "waiting-rows.spill"));
    // Looked up once per row: a hash lookup, not a sorted tree of thousands of county codes compared as strings.
    private readonly Dictionary<string, RegionBatch> _batches = new(StringComparer.Ordinal);

    // An upper bound on rows buffered since the buffers were last counted, and that count: summing thousands of regions'
    // buffers before every chunk took about 3 % of a publish over 3,100 counties, and buffers only grow by what is routed.
    private long _routedSinceCount;
    private long _bufferedAtCount;

    /// <summary>The regions in code order, so that extracts are committed (and results listed) in the same order every time.</summary>
    public IEnumerable<RegionBatch> Batches => _batches.Values.OrderBy(b => b.Region, StringComparer.Ordinal);

    public long RowsRead { get; private set; }

    public long Unchanged { get; private set; }

    public long DeletesNotFound { get; private set; }

    public async Task RouteAsync(ChangesetInput input, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var readAhead = new ChangesetReadAhead(dataset, input, progress);
        var reading = readAhead.StartAsync(stop.Token);
        try
        {
            await foreach (var encoding in readAhead.Rows.ReadAllAsync(cancellationToken))
            {
                var chunk = await encoding;
                try
                {
                    await RouteChunkAsync(chunk.Rows, cancellationToken);
                }
                finally
                {
                    readAhead.Recycle(chunk);
                }
            }
        }
        catch (Exception) when (!reading.IsCompleted)
        {
            // Routing failed first: stop the reader (it may wait for room in the channel) before the input goes away.
            await stop.CancelAsync();
            await reading.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        await reading;
        _index.Flush();
        RowsRead = readAhead.RowsRead;
    }

    /// <summary>Closes every batch, the spill file and the key index's statements, even when one of them fails to close:
    /// the first failure is thrown once all are closed.</summary>
    public async ValueTask DisposeAsync()
    {
        ExceptionDispatchInfo? first = null;
        foreach (var batch in _batches.Values)
        {
            try
            {
                await batch.DisposeAsync();
            }
            catch (Exception e)
            {
                first ??= ExceptionDispatchInfo.Capture(e);
            }
        }

        _spill.Dispose();
        _index.Dispose();
        first?.Throw();
    }

    private async Task RouteChunkAsync(List<PreparedRow> chunk, CancellationToken cancellationToken)
    {
        if (_bufferedAtCount + _routedSinceCount >= BufferedRowBudget)
        {
            _bufferedAtCount = _batches.Values.Sum(b => b.Buffered);
            _routedSinceCount = 0;
            if (_bufferedAtCount >= BufferedRowBudget)
            {
                await FlushOrSpillAsync(cancellationToken);
                _bufferedAtCount = 0;
            }
        }

        var found = _index.FindAll(chunk);
        for (var i = 0; i < chunk.Count; i++)
        {
            if (chunk[i].IsDelete)
            {
                await RouteDeleteAsync(chunk[i], found[i], cancellationToken);
            }
            else
            {
                await RouteUpsertAsync(chunk[i], found[i], cancellationToken);
            }
        }

        // A row that moves regions buffers two: its delete in the old region and its upsert in the new.
        _routedSinceCount += 2L * chunk.Count;
    }

    private async Task FlushOrSpillAsync(CancellationToken cancellationToken)
    {
        foreach (var batch in _batches.Values)
        {
            if (batch.Buffered >= SmallestEarlyRowGroup)
            {
                await batch.FlushAsync(cancellationToken);
            }
            else
            {
                batch.Spill();
            }
        }
    }

    private async ValueTask RouteUpsertAsync(PreparedRow row, IndexEntry? existing, CancellationToken cancellationToken)
    {
        var values = row.Values;
        var digest = row.Digest;
        var region = (string)values[dataset.RegionOrdinal]!;
        if (existing is not null && existing.Region == region && existing.RowHash.AsSpan().SequenceEqual(digest.Span))
        {
            Unchanged++;
            return;
        }

        _index.Put(row.Key, region, digest.Span, row.RowData.Span, existing);
        if (existing is not null && existing.Region != region)
        {
            var old = Batch(existing.Region);
            await old.AddDeleteAsync(KeyAndRegion(values, existing.Region), RowDigest.TermOf(existing.RowHash), cancellationToken);
            existing = null;
        }

        var batch = Batch(region);
        await batch.AddUpsertAsync(values, existing is null ? null : RowDigest.TermOf(existing.RowHash), RowDigest.TermOf(digest.Span), cancellationToken);
    }

    private async ValueTask RouteDeleteAsync(PreparedRow row, IndexEntry? found, CancellationToken cancellationToken)
    {
        if (found is null)
        {
            DeletesNotFound++;
            return;
        }

        _index.Remove(row.Key, found);
        var batch = Batch(found.Region);
        await batch.AddDeleteAsync(KeyAndRegion(row.Values, found.Region), RowDigest.TermOf(found.RowHash), cancellationToken);
    }

    /// <summary>A delete row carries the key and the region the key lives in; every other column is null.</summary>
    private object?[] KeyAndRegion(object?[] values, string region)
    {
        var row = new object?[dataset.Columns.Count];
        foreach (var ordinal in dataset.KeyOrdinals)
        {
            row[ordinal] = values[ordinal];
        }

        row[dataset.RegionOrdinal] = region;
        return row;
    }

    private RegionBatch Batch(string region)
    {
        if (!_batches.TryGetValue(region, out var batch))
        {
            var feed = FeedStore.Find(connection, transaction, dataset.Id, region) ?? FeedState.New(dataset.Id, region);
            batch = RegionBatch.Create(dataset, feed, stagingDirectory, _spill);
            _batches.Add(region, batch);
        }

        return batch;
    }
}
