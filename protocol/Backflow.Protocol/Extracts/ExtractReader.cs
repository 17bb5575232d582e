using System.Globalization;
using System.Runtime.CompilerServices;
using Backflow.Protocol.Catalog;
using Parquet;
using Parquet.Schema;

namespace Backflow.Protocol.Extracts;

/// <summary>
/// Reads an extract file of a known dataset one row group at a time. Opening it checks that the stream is
/// Parquet, carries the Backflow metadata, and has exactly the dataset's extract schema; reading checks every
/// row's <c>_op</c> and nulls. Values come back in their <see cref="Rows.RowValues"/> representations.
/// </summary>
public sealed class ExtractReader : IAsyncDisposable
{
    // Dates come back as DateOnly, the type they were written with, instead of DateTime.
    private static readonly ParquetOptions Options = new() { UseDateOnlyTypeForDates = true };

    private readonly ParquetReader _reader;
    private readonly DatasetDefinition _dataset;
    private readonly ExtractColumn[] _columns;
    private readonly DataField _opField;
    private int[] _ops = [];

    private ExtractReader(ParquetReader reader, DatasetDefinition dataset, ExtractHeader header)
    {
        _reader = reader;
        _dataset = dataset;
        Header = header;
        var fields = reader.Schema.DataFields;
        _columns = new ExtractColumn[dataset.Columns.Count];
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i] = ExtractColumn.Create(fields[i], dataset.Columns[i].Type.Kind);
        }

        _opField = fields[^1];
    }

    /// <summary>The extract's identity from the file's metadata.</summary>
    public ExtractHeader Header { get; }

    /// <summary>The number of row groups in the file.</summary>
    public int RowGroupCount => _reader.RowGroupCount;

    /// <summary>The number of rows in the file, from its footer.</summary>
    public long RowCount => _reader.RowGroups.Sum(g => g.RowCount);

    /// <summary>Opens an extract of <paramref name="dataset"/> and checks its metadata and schema.</summary>
    /// <param name="input">A readable, seekable stream. It is left open: the caller owns it.</param>
    /// <param name="dataset">The dataset the file must belong to, with the schema it must have.</param>
    /// <param name="ct">Cancels the open.</param>
    /// <exception cref="ArgumentException"><paramref name="input"/> cannot be read or cannot seek.</exception>
    /// <exception cref="ExtractFormatException">Not Parquet, no Backflow metadata, another dataset, or another schema.</exception>
    public static async Task<ExtractReader> OpenAsync(Stream input, DatasetDefinition dataset, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(dataset);
        if (!input.CanRead || !input.CanSeek)
        {
            // Parquet keeps its schema in a footer, so the reader must seek; download to a file or buffer first.
            throw new ArgumentException("the extract stream must be readable and seekable", nameof(input));
        }

        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(input, Options, leaveStreamOpen: true, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ExtractFormatException($"not a Parquet file ({e.Message}); an extract of '{dataset.Id}' was expected", e);
        }

        try
        {
            var header = Check(reader, dataset);
            return new ExtractReader(reader, dataset, header);
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads row group <paramref name="index"/> (from 0) as rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a row group of the file.</exception>
    /// <exception cref="ExtractFormatException">The row group is corrupt or holds a row that breaks the extract rules.</exception>
    public async Task<IReadOnlyList<ExtractRow>> ReadRowGroupAsync(int index, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, RowGroupCount);
        using var group = _reader.OpenRowGroupReader(index);
        var count = checked((int)group.RowCount);
        await ReadColumnsAsync(group, index, count, ct);

        var rows = new ExtractRow[count];
        for (var r = 0; r < count; r++)
        {
            var op = _ops[r];
            if (op is not ((int)ChangeOp.Upsert or (int)ChangeOp.Delete))
            {
                throw RowError(index, r, $"column '{ExtractSchema.OpColumn}' is {op.ToString(CultureInfo.InvariantCulture)}; only 0 (upsert) and 1 (delete) are defined");
            }

            var values = new object?[_columns.Length];
            for (var c = 0; c < values.Length; c++)
            {
                values[c] = _columns[c].Get(r);
            }

            var error = ExtractRowRules.CheckNulls(_dataset, (ChangeOp)op, values);
            if (error is not null)
            {
                throw RowError(index, r, error);
            }

            rows[r] = new ExtractRow((ChangeOp)op, values);
        }

        return rows;
    }

    /// <summary>Streams every row of the file, reading one row group at a time.</summary>
    /// <exception cref="ExtractFormatException">A row group is corrupt or holds an invalid row.</exception>
    public async IAsyncEnumerable<ExtractRow> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        for (var g = 0; g < RowGroupCount; g++)
        {
            var rows = await ReadRowGroupAsync(g, ct);
            foreach (var row in rows)
            {
                yield return row;
            }
        }
    }

    /// <summary>Releases the Parquet reader. Leaves the input stream open.</summary>
    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    private static ExtractHeader Check(ParquetReader reader, DatasetDefinition dataset)
    {
        var difference = ExtractSchema.Difference(ExtractSchema.Fields(dataset), reader.Schema);
        if (difference is not null)
        {
            throw new ExtractFormatException($"the file's schema is not the extract schema of dataset '{dataset.Id}': {difference}");
        }

        var header = ExtractHeader.FromMetadata(reader.CustomMetadata);
        if (header.Dataset != dataset.Id)
        {
            throw new ExtractFormatException($"the file is an extract of dataset '{header.Dataset}', not of '{dataset.Id}'");
        }

        if (header.SchemaHash != dataset.SchemaHash)
        {
            throw new ExtractFormatException($"the file was written with schema hash {header.SchemaHash} but dataset '{dataset.Id}' has {dataset.SchemaHash}; the catalog and the extract disagree on the key or columns");
        }

        return header;
    }

    private async Task ReadColumnsAsync(ParquetRowGroupReader group, int index, int count, CancellationToken ct)
    {
        if (_ops.Length < count)
        {
            _ops = new int[count];
        }

        try
        {
            foreach (var column in _columns)
            {
                await column.ReadAsync(group, count, ct);
            }

            await group.ReadAsync<int>(_opField, new Memory<int>(_ops, 0, count), cancellationToken: ct);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ExtractFormatException)
        {
            throw new ExtractFormatException($"row group {index.ToString(CultureInfo.InvariantCulture)} of the extract of '{_dataset.Id}' cannot be read: {e.Message}", e);
        }
    }

    private ExtractFormatException RowError(int group, int row, string error) =>
        new($"extract of '{_dataset.Id}', row group {group.ToString(CultureInfo.InvariantCulture)}, row {row.ToString(CultureInfo.InvariantCulture)}: {error}");
}
