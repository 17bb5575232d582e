using System.Collections.Concurrent;
using Backflow.Agent.Loading;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Manifests;

namespace Backflow.Agent.Tests.Support;

/// <summary>A load target that keeps state in memory and reads every row it is given, for sync-loop tests.</summary>
internal sealed class InMemoryLoadTarget : ILoadTarget
{
    private readonly ConcurrentDictionary<(string, string), FeedPosition> _positions = new();
    private readonly ConcurrentDictionary<(string, string), FeedHealth> _health = new();
    private readonly ConcurrentQueue<RunRecord> _runs = new();

    public ConcurrentQueue<(string Dataset, string Region, long Sequence, long Rows)> Applied { get; } = new();

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<Backflow.Protocol.Rows.RegionChecksum> RecomputeAsync(DatasetDefinition dataset, string region, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the in-memory target keeps no rows");

    public Task ForgetPositionAsync(string dataset, string region, CancellationToken cancellationToken)
    {
        _positions.TryRemove((dataset, region), out _);
        return Task.CompletedTask;
    }

    public Task<bool> RecordUnchangedSnapshotAsync(Manifest manifest, CancellationToken cancellationToken)
    {
        var key = (manifest.Dataset, manifest.Region.Value);
        if (!SequenceRules.IsUnchangedSnapshot(_positions.GetValueOrDefault(key), manifest))
        {
            return Task.FromResult(false);
        }

        _positions[key] = _positions[key] with { Sequence = manifest.Sequence };
        return Task.FromResult(true);
    }

    public Task<FeedPosition?> GetPositionAsync(string dataset, string region, CancellationToken cancellationToken) =>
        Task.FromResult(_positions.GetValueOrDefault((dataset, region)));

    public Task<IReadOnlyList<FeedPosition>> ListPositionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FeedPosition>>([.. _positions.Values]);

    public async Task<ApplyResult> ApplyAsync(DatasetDefinition dataset, Manifest manifest, ExtractReader extract, CancellationToken cancellationToken)
    {
        var key = (manifest.Dataset, manifest.Region.Value);
        var applied = _positions.GetValueOrDefault(key)?.Sequence ?? 0;
        if (manifest.Sequence != applied + 1)
        {
            throw new SequenceGapException($"expected {applied + 1}, got {manifest.Sequence}");
        }

        long rows = 0;
        await foreach (var _ in extract.ReadAllAsync(cancellationToken))
        {
            rows++;
        }

        var count = (_positions.GetValueOrDefault(key)?.RowCount ?? 0) + rows;
        _positions[key] = new FeedPosition(manifest.Dataset, manifest.Region.Value, manifest.Sequence, manifest.Generation, manifest.SchemaHash, count, "0000000000000000", manifest.PublishedAt);
        Applied.Enqueue((manifest.Dataset, manifest.Region.Value, manifest.Sequence, rows));
        return new ApplyResult(manifest.Sequence, rows, 0, count, "0000000000000000", false);
    }

    public Task AppendRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        _runs.Enqueue(run);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunRecord>> RecentRunsAsync(string? dataset, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RunRecord>>([.. _runs.Reverse().Where(r => dataset is null || r.Dataset == dataset).Take(limit)]);

    public Task<FeedHealth?> GetHealthAsync(string dataset, string region, CancellationToken cancellationToken) =>
        Task.FromResult(_health.GetValueOrDefault((dataset, region)));

    public Task<IReadOnlyList<FeedHealth>> ListHealthAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FeedHealth>>([.. _health.Values]);

    public Task SaveHealthAsync(FeedHealth health, CancellationToken cancellationToken)
    {
        _health[(health.Dataset, health.Region)] = health;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
