using Backflow.Protocol.Extracts;
using Backflow.Protocol.Manifests;
using Backflow.Protocol.Rows;
using Npgsql;

namespace Backflow.Agent.Loading.Postgres;

/// <summary>
/// Writes the row groups of one extract into its region inside an open transaction, set-based: each group is
/// binary-COPYed into a temporary staging table, then one statement removes the stored versions of the staged keys
/// (returning them, so their checksum terms leave the sum) and one inserts the upserts. A snapshot's groups, whose
/// region was emptied first, are COPYed straight into the table.
/// </summary>
/// <remarks>
/// The terms of the rows being written are the caller's to add (they are computed off this thread); this type only
/// reports the rows and terms that left the region.
/// </remarks>
internal sealed class PostgresRegionWriter(NpgsqlConnection connection, PostgresTableLayout layout, Manifest manifest)
{
    /// <summary>
    /// Planner settings for the rest of the apply's transaction (SET LOCAL: the pooled connection goes back unchanged),
    /// set with the staging table. The staged-key delete must probe the key index once per staged row whatever the
    /// statistics claim (see <see cref="PostgresTableLayout.DeleteStaged"/>): with sequential scans off, a table the
    /// statistics call empty is still read through its index rather than scanned per staged row. The staging table,
    /// which has no index, is read once per statement anyway. JIT compilation only adds latency to short statements.
    /// </summary>
    public const string PlannerSettings = "SET LOCAL enable_seqscan = off; SET LOCAL jit = off";

    private readonly object?[] _oldRow = new object?[layout.Dataset.Columns.Count];
    private readonly CanonicalEncoder _encoder = new();
    private bool _staged;

    /// <summary>Rows that left the region: (count, sum of their terms) of the old versions removed so far.</summary>
    public RegionChecksum Removed { get; private set; }

    public long Upserts { get; private set; }

    public long Deletes { get; private set; }

    /// <summary>Writes one row group (group number <paramref name="group"/>, for messages).</summary>
    public async Task WriteAsync(IReadOnlyList<ExtractRow> rows, int group, CancellationToken ct)
    {
        var direct = manifest.Kind == ExtractKind.Snapshot && !rows.Any(r => r.Op == ChangeOp.Delete);
        if (!direct)
        {
            await PrepareStageAsync(ct);
        }

        try
        {
            await CopyAsync(rows, group, direct, ct);
            if (!direct)
            {
                await RemoveStagedKeysAsync(ct);
                await Execute(layout.InsertStaged, ct);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidDataException($"extract {ApplyChecks.Describe(manifest)}, row group {group}: {e.Detail ?? e.MessageText} — the extract holds one key twice, which a publish never does; the file does not belong to this feed. Nothing was applied.", e);
        }
    }

    private async Task PrepareStageAsync(CancellationToken ct)
    {
        await Execute(_staged ? layout.TruncateStage : layout.CreateStage + "; " + PlannerSettings, ct);
        _staged = true;
    }

    private async Task CopyAsync(IReadOnlyList<ExtractRow> rows, int group, bool direct, CancellationToken ct)
    {
        var dataset = layout.Dataset;
        var columns = dataset.Columns;
        var region = manifest.Region.Value;
        await using var importer = await connection.BeginBinaryImportAsync(direct ? layout.CopyIntoTable : layout.CopyIntoStage, ct);
        importer.Timeout = Timeout.InfiniteTimeSpan;
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var values = row.Values;
            if (values[dataset.RegionOrdinal] is not string rowRegion || rowRegion != region)
            {
                throw ApplyChecks.WrongRegion(dataset, manifest, group, r, values[dataset.RegionOrdinal]);
            }

            importer.StartRow();
            try
            {
                for (var c = 0; c < columns.Count; c++)
                {
                    PostgresValueMapper.Write(importer, columns[c], values[c]);
                }
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"extract {ApplyChecks.Describe(manifest)}, row group {group}, row {r}: {e.Message}. Nothing was applied.", e);
            }

            if (row.Op == ChangeOp.Delete)
            {
                Deletes++;
            }
            else
            {
                Upserts++;
            }

            if (!direct)
            {
                importer.Write((short)(row.Op == ChangeOp.Delete ? 1 : 0), NpgsqlTypes.NpgsqlDbType.Smallint);
            }
        }

        await importer.CompleteAsync(ct);
    }

    private async Task RemoveStagedKeysAsync(CancellationToken ct)
    {
        var columns = layout.Dataset.Columns;
        await using var command = new NpgsqlCommand(layout.DeleteStaged, connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var removed = Removed;
        while (await reader.ReadAsync(ct))
        {
            for (var i = 0; i < _oldRow.Length; i++)
            {
                _oldRow[i] = PostgresValueMapper.Read(reader, i, columns[i]);
            }

            removed = removed.Add(RowDigest.ChecksumTerm(_encoder.EncodeRow(layout.Dataset, _oldRow)));
        }

        Removed = removed;
    }

    private async Task Execute(string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
