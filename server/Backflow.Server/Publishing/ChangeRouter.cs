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
    private const int ProgressEvery = 10_000;

    private readonly KeyIndex _index = new(connection, transaction, dataset.Id);
    private readonly CanonicalEncoder _encoder = new();
    private readonly SortedDictionary<string, RegionBatch> _batches = new(StringComparer.Ordinal);

    public IEnumerable<RegionBatch> Batches => _batches.Values;

    public long RowsRead { get; private set; }

    public long Unchanged { get; private set; }

    public long DeletesNotFound { get; private set; }

    public async Task RouteAsync(ChangesetInput input, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await foreach (var row in input.ReadUpsertsAsync(cancellationToken))
        {
            Count(progress);
            if (!input.Problems.HasProblems)
            {
                await RouteUpsertAsync(row.Values, cancellationToken);
            }
        }

        await foreach (var row in input.ReadDeletesAsync(cancellationToken))
        {
            Count(progress);
            if (!input.Problems.HasProblems)
            {
                await RouteDeleteAsync(row.Values, cancellationToken);
            }
        }

        progress?.Report(RowsRead);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var batch in _batches.Values)
        {
            await batch.DisposeAsync();
        }

        _index.Dispose();
    }

    private async Task RouteUpsertAsync(object?[] values, CancellationToken cancellationToken)
    {
        var key = _encoder.EncodeKey(dataset, values).ToArray();
        var rowData = _encoder.EncodeRow(dataset, values);
        var digest = RowDigest.Digest(rowData);
        var term = RowDigest.TermOf(digest);
        var region = (string)values[dataset.RegionOrdinal]!;
        var existing = _index.Find(key);

        if (existing is { } found && found.Region == region && found.RowHash.AsSpan().SequenceEqual(digest))
        {
            Unchanged++;
            return;
        }

        _index.Put(key, region, digest, rowData);
        if (existing is { } moved && moved.Region != region)
        {
            var old = await BatchAsync(moved.Region, cancellationToken);
            await old.AddDeleteAsync(KeyAndRegion(values, moved.Region), RowDigest.TermOf(moved.RowHash), cancellationToken);
            existing = null;
        }

        var batch = await BatchAsync(region, cancellationToken);
        await batch.AddUpsertAsync(values, existing is { } same ? RowDigest.TermOf(same.RowHash) : null, term, cancellationToken);
    }

    private async Task RouteDeleteAsync(object?[] values, CancellationToken cancellationToken)
    {
        var key = _encoder.EncodeKey(dataset, values).ToArray();
        if (_index.Find(key) is not { } found)
        {
            DeletesNotFound++;
            return;
        }

        _index.Remove(key);
        var batch = await BatchAsync(found.Region, cancellationToken);
        await batch.AddDeleteAsync(KeyAndRegion(values, found.Region), RowDigest.TermOf(found.RowHash), cancellationToken);
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

    private async Task<RegionBatch> BatchAsync(string region, CancellationToken cancellationToken)
    {
        if (!_batches.TryGetValue(region, out var batch))
        {
            var feed = FeedStore.Find(connection, transaction, dataset.Id, region) ?? FeedState.New(dataset.Id, region);
            batch = await RegionBatch.CreateAsync(dataset, feed, stagingDirectory, cancellationToken);
            _batches.Add(region, batch);
        }

        return batch;
    }

    private void Count(IProgress<long>? progress)
    {
        if (++RowsRead % ProgressEvery == 0)
        {
            progress?.Report(RowsRead);
        }
    }
}
