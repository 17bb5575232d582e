using System.Globalization;
using System.Runtime.CompilerServices;
using Backflow.Protocol.Catalog;
using Parquet;
using Parquet.Schema;

namespace Backflow.Protocol.Extracts;

/// <summary>
/// Writes one extract file: the dataset's columns plus <c>_op</c>, one row group at a time, with the
/// <see cref="ExtractHeader"/> in the file's key-value metadata. At most one row group is held in memory.
/// Dispose it (<see cref="DisposeAsync"/>) to write the Parquet footer; the file is incomplete until then.
/// </summary>
public sealed class ExtractWriter : IAsyncDisposable
{
    /// <summary>
    /// Rows per row group when the caller does not choose. Large enough that per-group overhead (page headers,
    /// statistics, one read call per column) stays small and columns compress well; small enough that one
    /// group of a wide dataset stays in the tens of megabytes on both the server and a modest county machine.
    /// </summary>
    public const int DefaultRowGroupSize = 50_000;

    /// <summary>Values of a text column sampled before it is dictionary-encoded (see <see cref="Options"/>).</summary>
    private const int DictionarySample = 1_000;

    private readonly ParquetWriter _writer;
    private readonly DatasetDefinition _dataset;
    private readonly DataField[] _fields;
    private ExtractRowGroup? _listRows;
    private long _rowsWritten;
    private long _upserts;
    private long _deletes;
    private int _rowGroups;

    private ExtractWriter(ParquetWriter writer, DatasetDefinition dataset, DataField[] fields)
    {
        _writer = writer;
        _dataset = dataset;
        _fields = fields;
        OpField = fields[^1];
    }

    /// <summary>What has been written so far.</summary>
    public ExtractWriteSummary Summary => new(_upserts, _deletes, _rowGroups);

    private DataField OpField { get; }

    /// <summary>Starts an extract of <paramref name="dataset"/> on <paramref name="output"/>.</summary>
    /// <param name="output">A writable stream. It is left open: the caller owns it and closes it after disposing the writer.</param>
    /// <param name="dataset">The dataset whose schema the file gets.</param>
    /// <param name="header">The extract's identity; its dataset and schema hash must be the dataset's.</param>
    /// <param name="ct">Cancels the start.</param>
    /// <exception cref="ArgumentException">The header is malformed or belongs to another dataset or schema.</exception>
    public static async Task<ExtractWriter> CreateAsync(Stream output, DatasetDefinition dataset, ExtractHeader header, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(header);
        var error = header.Validate()
            ?? (header.Dataset != dataset.Id ? $"the header is for dataset '{header.Dataset}' but the rows are of '{dataset.Id}'" : null)
            ?? (header.SchemaHash != dataset.SchemaHash ? $"the header's schema hash {header.SchemaHash} is not dataset '{dataset.Id}''s current {dataset.SchemaHash}" : null);
        if (error is not null)
        {
            throw new ArgumentException($"invalid extract header: {error}", nameof(header));
        }

        var fields = ExtractSchema.Fields(dataset);
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), output, Options(dataset, fields), cancellationToken: ct);
        writer.CustomMetadata = header.ToMetadata();
        return new ExtractWriter(writer, dataset, fields);
    }

    /// <summary>
    /// Text columns are dictionary-encoded where their values repeat (codes, statuses, authorities: most columns of
    /// government data), which Parquet.Net does only when asked. A column whose first values are mostly distinct
    /// (names, addresses) is written plain after that sample instead of being hashed whole for nothing.
    /// </summary>
    private static ParquetOptions Options(DatasetDefinition dataset, DataField[] fields)
    {
        var options = new ParquetOptions { DictionaryEncodingSampleSize = DictionarySample };
        for (var i = 0; i < dataset.Columns.Count; i++)
        {
            if (dataset.Columns[i].Type.Kind == LogicalKind.String)
            {
                options.ColumnEncodingHints[fields[i].Path.ToString()] = EncodingHint.Dictionary;
            }
        }

        return options;
    }

    /// <summary>A new, empty row group for this writer: rows are added to it as they come, and
    /// <see cref="WriteRowGroupAsync(ExtractRowGroup, CancellationToken)"/> writes them.</summary>
    public ExtractRowGroup NewRowGroup() => new(_dataset, _fields, this);

    /// <summary>Writes <paramref name="rows"/> as one row group (nothing when the list is empty).</summary>
    /// <exception cref="ArgumentException">A row breaks the extract rules; the message names the row (counted from
    /// 0 over the whole file), the column and the rule. Nothing of this row group is written.</exception>
    public async Task WriteRowGroupAsync(IReadOnlyList<ExtractRow> rows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rows);

        // Validate first so that a bad row leaves no half-written row group behind.
        Validate(rows);
        _listRows ??= NewRowGroup();
        _listRows.Clear();
        foreach (var row in rows)
        {
            _listRows.AddChecked(row);
        }

        await WriteRowGroupAsync(_listRows, ct);
    }

    /// <summary>Writes the rows of <paramref name="group"/> as one row group (nothing when it is empty), then clears the
    /// group for the next rows.</summary>
    /// <exception cref="ArgumentException">The group was made by another writer.</exception>
    public async Task WriteRowGroupAsync(ExtractRowGroup group, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group.Owner != this)
        {
            throw new ArgumentException("a row group can be written only by the writer that made it (NewRowGroup)", nameof(group));
        }

        if (group.Count == 0)
        {
            return;
        }

        using (var rowGroup = _writer.CreateRowGroup())
        {
            foreach (var column in group.Columns)
            {
                await column.WriteAsync(rowGroup, group.Count, ct);
            }

            await rowGroup.WriteAsync<int>(OpField, group.Ops, cancellationToken: ct);
            rowGroup.CompleteValidate();
        }

        _rowsWritten += group.Count;
        _upserts += group.Upserts;
        _deletes += group.Deletes;
        _rowGroups++;

        // The caller may keep this writer open for a long time (a publish holds one per region until it commits): the
        // rows just written must not stay reachable through the group until then.
        group.Clear();
    }

    /// <summary>
    /// Writes every row of <paramref name="rows"/>, buffering at most <paramref name="rowGroupSize"/> rows at a time.
    /// </summary>
    /// <returns>The totals of the whole file so far (including row groups written before this call).</returns>
    /// <exception cref="ArgumentException">A row breaks the extract rules (see <see cref="WriteRowGroupAsync(IReadOnlyList{ExtractRow}, CancellationToken)"/>).</exception>
    public async Task<ExtractWriteSummary> WriteAllAsync(IAsyncEnumerable<ExtractRow> rows, int rowGroupSize = DefaultRowGroupSize, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupSize, 1);
        var buffer = new List<ExtractRow>(Math.Min(rowGroupSize, DefaultRowGroupSize));
        await foreach (var row in rows.WithCancellation(ct))
        {
            buffer.Add(row);
            if (buffer.Count == rowGroupSize)
            {
                await WriteRowGroupAsync(buffer, ct);
                buffer.Clear();
            }
        }

        await WriteRowGroupAsync(buffer, ct);
        return Summary;
    }

    /// <summary>Writes the Parquet footer (schema, metadata, row group index) and lets go of the column buffers.
    /// Leaves the output stream open.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _listRows?.Release();
    }

    // Compiled fully optimized at once (AggressiveOptimization): it runs once per row group, a few hundred times in a
    // large publish, so tiered compilation left its loop in unoptimized code for about a third of a million-row extract.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Validate(IReadOnlyList<ExtractRow> rows)
    {
        for (var r = 0; r < rows.Count; r++)
        {
            var error = ExtractRowRules.Check(_dataset, rows[r]);
            if (error is not null)
            {
                var index = (_rowsWritten + r).ToString(CultureInfo.InvariantCulture);
                throw new ArgumentException($"extract row {index} of dataset '{_dataset.Id}' is invalid: {error}", nameof(rows));
            }
        }
    }
}
