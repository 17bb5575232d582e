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
    private readonly ExtractColumn[] _columns;
    private int[] _opBuffer = [];
    private long _rowsWritten;
    private long _upserts;
    private long _deletes;
    private int _rowGroups;

    private ExtractWriter(ParquetWriter writer, DatasetDefinition dataset, DataField[] fields)
    {
        _writer = writer;
        _dataset = dataset;
        _columns = new ExtractColumn[dataset.Columns.Count];
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i] = ExtractColumn.Create(fields[i], dataset.Columns[i].Type.Kind);
        }

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

    /// <summary>Writes <paramref name="rows"/> as one row group (nothing when the list is empty).</summary>
    /// <exception cref="ArgumentException">A row breaks the extract rules; the message names the row (counted from
    /// 0 over the whole file), the column and the rule. Nothing of this row group is written.</exception>
    public async Task WriteRowGroupAsync(IReadOnlyList<ExtractRow> rows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        // Validate first so that a bad row leaves no half-written row group behind.
        Validate(rows);
        Fill(rows);
        using (var group = _writer.CreateRowGroup())
        {
            foreach (var column in _columns)
            {
                await column.WriteAsync(group, rows.Count, ct);
            }

            await group.WriteAsync<int>(OpField, new ReadOnlyMemory<int>(_opBuffer, 0, rows.Count), cancellationToken: ct);
            group.CompleteValidate();
        }

        // The caller may keep this writer open for a long time (a publish holds one per region until it commits): the
        // rows just written must not stay reachable through the column buffers until then.
        foreach (var column in _columns)
        {
            column.ForgetValues(rows.Count);
        }

        _rowsWritten += rows.Count;
        _rowGroups++;
    }

    /// <summary>
    /// Writes every row of <paramref name="rows"/>, buffering at most <paramref name="rowGroupSize"/> rows at a time.
    /// </summary>
    /// <returns>The totals of the whole file so far (including row groups written before this call).</returns>
    /// <exception cref="ArgumentException">A row breaks the extract rules (see <see cref="WriteRowGroupAsync"/>).</exception>
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
        foreach (var column in _columns)
        {
            column.Release();
        }

        _opBuffer = [];
    }

    // The per-row loops are compiled fully optimized at once (AggressiveOptimization): they run once per row group, a
    // few hundred times in a large publish, so tiered compilation left them in unoptimized code for about a third of a
    // million-row extract.
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Fill(IReadOnlyList<ExtractRow> rows)
    {
        var count = rows.Count;
        foreach (var column in _columns)
        {
            column.Reset(count);
        }

        if (_opBuffer.Length < count)
        {
            _opBuffer = new int[count];
        }

        for (var r = 0; r < count; r++)
        {
            var row = rows[r];
            _opBuffer[r] = (int)row.Op;
            if (row.Op == ChangeOp.Delete)
            {
                _deletes++;
            }
            else
            {
                _upserts++;
            }

            for (var c = 0; c < _columns.Length; c++)
            {
                _columns[c].Set(r, row.Values[c]);
            }
        }
    }
}
