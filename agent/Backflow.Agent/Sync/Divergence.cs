using Backflow.Agent.Loading;
using Backflow.Agent.Verification;

namespace Backflow.Agent.Sync;

/// <summary>
/// A feed blocked because its local table no longer matches the server's (found by <c>verify</c> or by a checksum
/// mismatch at apply). Unlike other blocks it is not lifted by a newer sequence or <c>sync --retry-blocked</c>:
/// nothing the server publishes can fix a wrong local table, and applying more deltas onto it only builds on the
/// error; only a successful <c>repair</c> (re-baseline from a snapshot) clears it.
/// The mark is the <see cref="RejectionReason.LocalCopyDiverged"/> prefix of <see cref="FeedHealth.LastError"/>,
/// the same text a divergence at apply already writes, so that no new column is needed in the health table.
/// </summary>
internal static class Divergence
{
    private static readonly string Prefix = RejectionReason.LocalCopyDiverged + ":";

    /// <summary>The last error to store for a divergence found outside an apply (by <c>verify</c>).</summary>
    public static string Describe(string message) => new RejectedException(RejectionReason.LocalCopyDiverged, message).Describe();

    public static bool Blocks(FeedHealth? health) =>
        health is { Blocked: true, LastError: { } error } && error.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>What status and a refused sync tell the operator to do.</summary>
    public static string Advice(string dataset) => $"diverged — run `backflow-agent repair --dataset {dataset}`";
}
