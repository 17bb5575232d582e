using System.Runtime.CompilerServices;
using System.Text;
using Backflow.Protocol.Catalog;
using nietras.SeparatedValues;

namespace Backflow.Server.Publishing.Input;

/// <summary>
/// Reads a CSV file whose header names some of a dataset's columns (all of them for changes, the key for deletes)
/// into rows in catalog order, reporting every problem to a <see cref="ProblemList"/>. Rows with a problem are
/// not yielded.
/// </summary>
internal sealed class CsvTableReader(DatasetDefinition dataset, IReadOnlyList<int> expectedOrdinals, ProblemList problems, string? file)
{
    /// <summary>Rows after which the text columns' interners measure their hit rate again (see <see cref="TextInterner"/>).</summary>
    public const int ResampleEvery = 50_000;

    // Unquoting room for fields with doubled quotes; every other field is read in place.
    private char[] _scratch = [];

    // One per text column (by catalog ordinal), null for the others: a repeated value becomes one string.
    private readonly TextInterner?[] _interners = [.. dataset.Columns.Select(c => c.Type.Kind == LogicalKind.String ? new TextInterner() : null)];

    /// <summary>Data rows read so far, valid or not.</summary>
    public long RowCount { get; private set; }

    /// <summary>False until a header row has been read: a file without one is empty.</summary>
    public bool HasHeader { get; private set; }

    /// <summary>True once the header names exactly the expected columns; rows are read only then.</summary>
    public bool HeaderAccepted { get; private set; }

    public async IAsyncEnumerable<ChangesetRow> ReadAsync(TextReader text, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = await Sep.New(',')
            .Reader(o => o with { HasHeader = false, Unescape = false, DisableColCountCheck = true, DisableQuotesParsing = false })
            .FromAsync(text, cancellationToken);
        int[]? map = null;
        while (await MoveNextAsync(reader, cancellationToken))
        {
            if (map is null)
            {
                if (IsBlank(reader.Current))
                {
                    continue;
                }

                HasHeader = true;
                map = ReadHeader(reader.Current);
                if (map is null)
                {
                    yield break;
                }

                HeaderAccepted = true;
                continue;
            }

            if (++RowCount % ResampleEvery == 0)
            {
                foreach (var interner in _interners)
                {
                    interner?.Resample();
                }
            }

            if (IsBlank(reader.Current))
            {
                // Spreadsheet exports often end with empty lines; they hold no record. Counting them keeps row numbers
                // in step with what the publisher sees.
                continue;
            }

            var row = ReadRow(reader.Current, map, RowCount);
            if (row is not null)
            {
                yield return row;
            }
        }

        if (!HasHeader)
        {
            problems.Add(null, null, null, "the file is empty; it needs a header row naming the columns, then one row per record", file);
        }
    }

    private async ValueTask<bool> MoveNextAsync(SepReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.MoveNextAsync(cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            problems.Add(RowCount + 1, null, null, ChangesetEncodings.Advice, file);
            return false;
        }
    }

    private int[]? ReadHeader(SepReader.Row header)
    {
        var map = new int[header.ColCount];
        var seen = new HashSet<int>();
        var ok = true;
        for (var i = 0; i < header.ColCount; i++)
        {
            var raw = header[i].Span;
            if (i == 0 && raw.StartsWith('\uFEFF'))
            {
                raw = raw[1..];
            }

            if (!CsvField.TryRead(raw, out var name, out var error))
            {
                problems.Add(0, null, name, error!, file);
                ok = false;
                continue;
            }

            name ??= string.Empty;
            var ordinal = dataset.OrdinalOf(name);
            map[i] = ordinal;
            if (ordinal < 0 || !expectedOrdinals.Contains(ordinal))
            {
                problems.Add(0, name, null, $"not expected here; dataset {dataset.Id} expects the columns {Names(expectedOrdinals)}: rename it to one of them or remove it", file);
                ok = false;
            }
            else if (!seen.Add(ordinal))
            {
                problems.Add(0, name, null, "duplicate column name; each column appears once in the header", file);
                ok = false;
            }
        }

        foreach (var ordinal in expectedOrdinals.Where(o => !seen.Contains(o)))
        {
            var column = dataset.Columns[ordinal];
            problems.Add(0, column.Name, null, $"missing; dataset {dataset.Id} declares this column as {column.Type}, add it to the header", file);
            ok = false;
        }

        return ok ? map : null;
    }

    private ChangesetRow? ReadRow(SepReader.Row row, int[] map, long number)
    {
        if (row.ColCount != map.Length)
        {
            ReportFieldCount(row, map, number);
            return null;
        }

        var values = new object?[dataset.Columns.Count];
        var ok = true;
        for (var i = 0; i < map.Length; i++)
        {
            var column = dataset.Columns[map[i]];
            if (!CsvField.TryRead(row[i].Span, ref _scratch, out var text, out var isNull, out var error))
            {
                problems.Add(number, column.Name, text.ToString(), error!, file);
                ok = false;
                continue;
            }

            object? value = null;
            if (!isNull && _interners[map[i]] is { } interner)
            {
                value = interner.Get(text); // text needs no parsing
            }
            else if (!isNull && !TextValueParser.TryParse(column.Type, text, out value, out error))
            {
                problems.Add(number, column.Name, text.ToString(), error!, file);
                ok = false;
                continue;
            }

            error = RowChecker.Check(dataset, map[i], value);
            if (error is not null)
            {
                problems.Add(number, column.Name, isNull ? null : text.ToString(), error, file);
                ok = false;
                continue;
            }

            values[map[i]] = value;
        }

        return ok ? new ChangesetRow(number, values) : null;
    }

    private static bool IsBlank(SepReader.Row row) => row.ColCount == 1 && row[0].Span.IsEmpty;

    private void ReportFieldCount(SepReader.Row row, int[] map, long number)
    {
        // A stray quote makes the parser swallow separators, so the count is off; the quote is the thing to fix.
        for (var i = 0; i < row.ColCount; i++)
        {
            if (!CsvField.TryRead(row[i].Span, out var text, out var error))
            {
                problems.Add(number, i < map.Length ? dataset.Columns[map[i]].Name : null, text, error!, file);
                return;
            }
        }

        problems.Add(number, null, null, $"has {row.ColCount} fields but the header has {map.Length}; check separators and quoting", file);
    }

    private string Names(IEnumerable<int> ordinals) => string.Join(", ", ordinals.Select(o => dataset.Columns[o].Name));
}
