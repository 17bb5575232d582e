using System.Globalization;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Manifests;
using Backflow.Protocol.Rows;

namespace Backflow.Agent.Loading;

/// <summary>
/// The checks every load target makes around an apply, with the same messages whatever the database, so that an
/// operator reading a SQLite agent's log and a PostgreSQL agent's log sees one product.
/// </summary>
internal static class ApplyChecks
{
    /// <summary>Refuses a file or manifest that does not belong to <paramref name="dataset"/>.</summary>
    public static void CheckIdentity(DatasetDefinition dataset, Manifest manifest, ExtractHeader header)
    {
        // The verifier has checked all of this already; repeating it here is cheap and keeps a wiring mistake from
        // loading one feed's file under another feed's position.
        string? problem =
            manifest.Dataset != dataset.Id ? $"the manifest is of dataset '{manifest.Dataset}', not '{dataset.Id}'"
            : manifest.SchemaHash != dataset.SchemaHash ? $"the manifest has schema hash {manifest.SchemaHash} but the catalog's dataset has {dataset.SchemaHash}"
            : header.Dataset != manifest.Dataset || header.Region != manifest.Region.Value || header.Sequence != manifest.Sequence
                ? $"the file is {header.Dataset}/{header.Region} sequence {header.Sequence}, not what the manifest describes"
            : header.Kind != (manifest.Kind == ExtractKind.Snapshot ? ExtractHeader.Snapshot : ExtractHeader.Delta)
                ? $"the file is a {header.Kind} but the manifest says {manifest.Kind}"
            : null;
        if (problem is not null)
        {
            throw new InvalidDataException($"extract {Describe(manifest)}: {problem}. Nothing was applied.");
        }
    }

    /// <summary>The error for a row whose region column is not the extract's region.</summary>
    public static InvalidDataException WrongRegion(DatasetDefinition dataset, Manifest manifest, int group, int row, object? value) =>
        new($"extract {Describe(manifest)}, row group {group}, row {row}: region column '{dataset.RegionColumn}' is '{value}' but the extract is of region {manifest.Region.Value}; every row must carry the extract's region. Nothing was applied.");

    /// <summary>Refuses a file whose operation counts differ from its manifest's.</summary>
    public static void CheckCounts(Manifest manifest, long upserts, long deletes)
    {
        if (upserts != manifest.Counts.Upserts || deletes != manifest.Counts.Deletes)
        {
            throw new InvalidDataException($"extract {Describe(manifest)} holds {upserts} upserts and {deletes} deletes but its manifest says {manifest.Counts.Upserts} and {manifest.Counts.Deletes}; the file does not belong to this manifest. Nothing was applied.");
        }
    }

    /// <summary>Throws <see cref="LocalCopyDivergedException"/> when the region after the apply is not the server's.</summary>
    public static void CheckState(DatasetDefinition dataset, Manifest manifest, RegionChecksum checksum)
    {
        var expected = new RegionChecksum(manifest.State.RowCount, manifest.State.Checksum);
        if (checksum != expected)
        {
            // Checked before the commit: the caller's transaction is disposed uncommitted, so the extract and its
            // position roll back together and the table stays at the previous sequence.
            throw new LocalCopyDivergedException(
                $"local copy diverged: after applying {Describe(manifest)} the local copy has {checksum.RowCount} rows with checksum {checksum.SumHex} "
                + $"but the server has {expected.RowCount} rows with checksum {expected.SumHex}; the extract was rolled back. "
                + $"The feed is blocked until you run `backflow-agent repair --dataset {dataset.Id}`, which re-baselines it from the snapshot.");
        }
    }

    /// <summary>The sum of the checksum terms of a group's upserted rows (what they add to the region once written).</summary>
    public static ulong SumUpsertTerms(DatasetDefinition dataset, IReadOnlyList<ExtractRow> rows)
    {
        var encoder = new CanonicalEncoder();
        ulong sum = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r].Op != ChangeOp.Delete)
            {
                sum = unchecked(sum + RowDigest.ChecksumTerm(encoder.EncodeRow(dataset, rows[r].Values)));
            }
        }

        return sum;
    }

    public static string Describe(Manifest manifest) =>
        string.Create(CultureInfo.InvariantCulture, $"{manifest.Dataset}/{manifest.Region} sequence {manifest.Sequence}");
}
