namespace Backflow.Agent.Sync;

/// <summary>How one feed ended a sync; the lowercase name is what runs and reports carry.</summary>
internal enum FeedOutcome
{
    /// <summary>Applied up to the latest sequence the server knows.</summary>
    Current,

    /// <summary>Progressed or not, but sequences remain (e.g. the server was unreachable part-way).</summary>
    Behind,

    /// <summary>An extract was rejected or could not be applied; the feed did not advance past it.</summary>
    Failed,

    /// <summary>Re-baselined from a snapshot (new generation, expired sequences or <c>repair</c>), then current or behind.</summary>
    Rebased,

    /// <summary>Re-baselined from the snapshot of a re-base whose schema the local table could not hold: the table was
    /// rebuilt under the new schema (in the same transaction as the snapshot), then current or behind.</summary>
    Rebuilt,

    /// <summary>Too many failures in a row (skipped until a newer manifest appears or <c>sync --retry-blocked</c>), or a diverged local copy (skipped until <c>repair</c>).</summary>
    Blocked,
}
