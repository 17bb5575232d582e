using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Manifests;
using Backflow.Protocol.Rows;

namespace Backflow.Agent.Loading;

/// <summary>
/// The local database an agent loads into (SQLite by default). State lives in the target itself, next to the
/// data, and is written in the same transaction as the rows, so a crash leaves every region at a whole sequence.
/// </summary>
internal interface ILoadTarget : IAsyncDisposable
{
    /// <summary>Creates the state tables (<c>backflow_state</c>, <c>backflow_runs</c>, <c>backflow_feed_health</c>) if missing.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>The applied position of one feed, or null if nothing was applied yet.</summary>
    Task<FeedPosition?> GetPositionAsync(string dataset, string region, CancellationToken cancellationToken);

    /// <summary>Every feed with an applied position.</summary>
    Task<IReadOnlyList<FeedPosition>> ListPositionsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Applies one verified extract in ONE transaction: creates or evolves the dataset's table (or, for the first snapshot
    /// of a newer generation whose schema the table cannot hold, rebuilds it: <see cref="ApplyResult.Rebuilt"/>), applies upserts and
    /// deletes, maintains the region checksum incrementally, and writes the new <c>backflow_state</c> row.
    /// Before committing it compares row count and checksum with <paramref name="manifest"/>'s state and rolls back
    /// with <see cref="LocalCopyDivergedException"/> when they differ. Applying a sequence that is not exactly the
    /// applied one + 1 (or a snapshot) throws <see cref="SequenceGapException"/> and changes nothing; re-applying
    /// the applied sequence is a no-op that returns <see cref="ApplyResult.AlreadyApplied"/>. A table that cannot hold the
    /// extract otherwise throws <see cref="TableIncompatibleException"/> naming the column.
    /// </summary>
    Task<ApplyResult> ApplyAsync(DatasetDefinition dataset, Manifest manifest, ExtractReader extract, CancellationToken cancellationToken);

    /// <summary>
    /// When <paramref name="manifest"/> is a snapshot at the next sequence holding exactly the applied state
    /// (<see cref="SequenceRules.IsUnchangedSnapshot"/>), records its sequence as applied without touching a row and returns
    /// true; otherwise changes nothing and returns false (the snapshot is then downloaded and applied as usual).
    /// </summary>
    Task<bool> RecordUnchangedSnapshotAsync(Manifest manifest, CancellationToken cancellationToken);

    /// <summary>
    /// Recomputes a region's row count and checksum from the rows in its table (a full scan): the proof used by
    /// <c>backflow-agent verify</c> that the local copy is complete and untouched.
    /// </summary>
    Task<RegionChecksum> RecomputeAsync(DatasetDefinition dataset, string region, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets a feed's applied position (its rows stay until a snapshot replaces them), so that <c>repair</c> can
    /// load the latest snapshot even when it is the applied sequence. With no position, the next sync bootstraps
    /// from the snapshot, so a crash right after this is harmless.
    /// </summary>
    Task ForgetPositionAsync(string dataset, string region, CancellationToken cancellationToken);

    /// <summary>Appends a run to <c>backflow_runs</c> (after the apply committed).</summary>
    Task AppendRunAsync(RunRecord run, CancellationToken cancellationToken);

    /// <summary>Recent runs, newest first.</summary>
    Task<IReadOnlyList<RunRecord>> RecentRunsAsync(string? dataset, int limit, CancellationToken cancellationToken);

    /// <summary>Health of a feed as the sync loop tracks it (failures in a row, blocked flag, last error …).</summary>
    Task<FeedHealth?> GetHealthAsync(string dataset, string region, CancellationToken cancellationToken);

    /// <summary>Every feed's health.</summary>
    Task<IReadOnlyList<FeedHealth>> ListHealthAsync(CancellationToken cancellationToken);

    /// <summary>Writes a feed's health (insert or replace).</summary>
    Task SaveHealthAsync(FeedHealth health, CancellationToken cancellationToken);
}
