using System.Runtime.CompilerServices;
using Backflow.Protocol.Catalog;
using Parquet;

namespace Backflow.Server.Publishing.Input;

/// <summary>
/// Reads a Parquet changes file one row group at a time, mapping its columns to the catalog by name and reporting
/// schema mismatches and invalid values to a <see cref="ProblemList"/>. Rows with a problem are not yielded.
/// </summary>
/// <param name="dataset">The catalog entry the file is for.</param>
/// <param name="problems">Where every problem found goes.</param>
/// <param name="rowsInFile">Told the file's row count (from its footer) before the first row is read.</param>
internal sealed class ParquetChangesetReader(DatasetDefinition dataset, ProblemList problems, Action<long>? rowsInFile = null)
{
    private static readonly ParquetOptions Options = new() { UseDateOnlyTypeForDates = true };

    /// <summary>Data rows read so far, valid or not.</summary>
    public long RowCount { get; private set; }

    /// <summary>True once the file's schema matched the catalog; rows are read only then.</summary>
    public bool SchemaAccepted { get; private set; }

    /// <param name="stream">A seekable stream: Parquet keeps its schema in a footer at the end.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    public async IAsyncEnumerable<ChangesetRow> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = await OpenAsync(stream, cancellationToken);
        if (reader is null)
        {
            yield break;
        }

        await using (reader)
        {
            var fields = ParquetSchemaMatcher.Match(dataset, reader.Schema, problems);
            if (fields is null)
            {
                yield break;
            }

            SchemaAccepted = true;
            rowsInFile?.Invoke(reader.RowGroups.Sum(g => g.RowCount));
            var columns = new ParquetColumnBuffer[fields.Length];
            for (var c = 0; c < fields.Length; c++)
            {
                columns[c] = ParquetColumnBuffer.Create(fields[c], dataset.Columns[c].Type.Kind);
            }

            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                using var rowGroup = reader.OpenRowGroupReader(group);
                var count = checked((int)rowGroup.RowCount);
                foreach (var column in columns)
                {
                    await column.ReadAsync(rowGroup, count, cancellationToken);
                }

                for (var r = 0; r < count; r++)
                {
                    RowCount++;
                    var row = CheckRow(columns, r, RowCount);
                    if (row is not null)
                    {
                        yield return row;
                    }
                }
            }
        }
    }

    private async Task<ParquetReader?> OpenAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            return await ParquetReader.CreateAsync(stream, Options, leaveStreamOpen: true, cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            problems.Add(null, null, null, $"the file starts like Parquet but cannot be read as Parquet ({e.Message}); write it again or upload CSV");
            return null;
        }
    }

    private ChangesetRow? CheckRow(ParquetColumnBuffer[] columns, int index, long number)
    {
        var values = new object?[columns.Length];
        var ok = true;
        for (var c = 0; c < columns.Length; c++)
        {
            var value = columns[c][index];
            var error = RowChecker.Check(dataset, c, value);
            if (error is not null)
            {
                problems.Add(number, dataset.Columns[c].Name, Display(value), error);
                ok = false;
            }

            values[c] = value;
        }

        return ok ? new ChangesetRow(number, values) : null;
    }

    private static string? Display(object? value) => value switch
    {
        null => null,
        byte[] b => Convert.ToBase64String(b),
        DateTime t => t.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
