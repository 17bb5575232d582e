using System.Globalization;
using Backflow.Protocol.Manifests;

namespace Backflow.Agent.Loading;

/// <summary>
/// Decides whether an extract may be applied on top of a feed's applied position. Shared by every load target so
/// that SQLite and PostgreSQL agree on what a gap is.
/// </summary>
internal static class SequenceRules
{
    /// <summary>
    /// Returns true when <paramref name="manifest"/> is the applied sequence (a no-op), false when it may be applied,
    /// and throws <see cref="SequenceGapException"/> when it may not.
    /// </summary>
    /// <remarks>
    /// A delta must be exactly the next sequence of the same generation. A snapshot holds the whole region, so it
    /// is a valid starting point at any sequence and on any newer generation; an older snapshot is accepted too,
    /// because re-baselining (<c>backflow-agent repair</c>) loads the latest snapshot, which may precede the applied
    /// sequence, and the region is consistent at that snapshot's sequence before the following deltas apply.
    /// </remarks>
    /// <summary>
    /// True when <paramref name="manifest"/> is a snapshot at the next sequence that holds exactly the applied state:
    /// same generation and schema, same row count and checksum. The server takes snapshots on a schedule for agents that
    /// start late; an agent that is already current has every one of those rows, and downloading the whole region again
    /// for each scheduled snapshot would cost every county the full dataset each time.
    /// </summary>
    public static bool IsUnchangedSnapshot(FeedPosition? applied, Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return applied is not null
            && manifest.Kind == ExtractKind.Snapshot
            && manifest.Sequence == applied.Sequence + 1
            && manifest.Generation == applied.Generation
            && string.Equals(manifest.SchemaHash, applied.SchemaHash, StringComparison.Ordinal)
            && manifest.State.RowCount == applied.RowCount
            && Backflow.Protocol.Rows.RegionChecksum.Parse(applied.RowCount, applied.Checksum).Sum == manifest.State.Checksum;
    }

    public static bool IsAlreadyApplied(FeedPosition? applied, Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var feed = $"{manifest.Dataset}/{manifest.Region}";
        if (manifest.Sequence < 1)
        {
            throw new SequenceGapException($"feed {feed}: sequence {Text(manifest.Sequence)} is not positive; sequences start at 1");
        }

        if (applied is not null && manifest.Sequence == applied.Sequence)
        {
            return true;
        }

        if (applied is not null && manifest.Generation < applied.Generation)
        {
            throw new SequenceGapException($"feed {feed}: the extract is of generation {Text(manifest.Generation)} but generation {Text(applied.Generation)} is applied; an older generation is never loaded again");
        }

        if (manifest.Kind == ExtractKind.Snapshot)
        {
            return false;
        }

        if (applied is not null && manifest.Generation > applied.Generation)
        {
            throw new SequenceGapException($"feed {feed}: generation changed ({Text(applied.Generation)} → {Text(manifest.Generation)}); load the snapshot of generation {Text(manifest.Generation)} instead of delta {Text(manifest.Sequence)}");
        }

        var expected = (applied?.Sequence ?? 0) + 1;
        if (manifest.Sequence != expected)
        {
            throw new SequenceGapException($"feed {feed}: expected sequence {Text(expected)} but got delta {Text(manifest.Sequence)}; fetch the missing sequences or load the latest snapshot");
        }

        return false;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
