using Backflow.Agent.Loading;
using Backflow.Agent.Verification;

namespace Backflow.Agent.Sync;

/// <summary>
/// A feed blocked because its local table no longer matches the server's (found by <c>verify</c> or by a checksum
/// mismatch at apply). Unlike other blocks it is not lifted by a newer sequence or <c>sync --retry-blocked</c>:
/// nothing the server publishes can fix a wrong local table, and applying more deltas onto it only builds on the
/// error; only a successful <c>repair</c> (re-baseline from a snapshot) clears it.
/// The mark is <see cref="FeedHealth.Diverged"/> (column <c>diverged</c> of <c>backflow_feed_health</c>); the last
/// error still says what diverged, for people.
/// </summary>
internal static class Divergence
{
    /// <summary>The last error to store for a divergence found outside an apply (by <c>verify</c>).</summary>
    public static string Describe(string message) => new RejectedException(RejectionReason.LocalCopyDiverged, message).Describe();

    public static bool Blocks(FeedHealth? health) => health is { Blocked: true, Diverged: true };

    /// <summary>The health of a feed found diverged: blocked at once, until repair.</summary>
    public static FeedHealth Mark(FeedHealth health, string error, DateTimeOffset at) =>
        health with { Blocked = true, Diverged = true, LastError = error, LastErrorAt = at };

    /// <summary>What status and a refused sync tell the operator to do.</summary>
    public static string Advice(string dataset) => $"diverged — run `backflow-agent repair --dataset {dataset}`";
}
