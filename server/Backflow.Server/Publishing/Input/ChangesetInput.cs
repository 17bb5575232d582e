using System.Runtime.CompilerServices;
using System.Text;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;

namespace Backflow.Server.Publishing.Input;

/// <summary>
/// A publisher's changeset — a changes file (CSV or Parquet) and an optional deletes file (CSV of key columns) —
/// read lazily into validated rows. Every problem goes to <see cref="Problems"/> instead of stopping the read, so
/// a pipeline can route rows while reading and throw everything away at the end if any problem was found.
/// </summary>
/// <remarks>
/// Read <see cref="ReadUpsertsAsync"/> to the end first, then <see cref="ReadDeletesAsync"/>: duplicate keys across
/// the two files are found in that order, and <see cref="Problems"/> is complete only after both.
/// The caller keeps ownership of the streams it passes in.
/// </remarks>
internal sealed class ChangesetInput : IAsyncDisposable
{
    private readonly DatasetDefinition _dataset;
    private readonly Stream _changes;
    private readonly Stream? _deletes;
    private readonly Encoding _encoding;
    private readonly KeyTracker _keys;
    private readonly CanonicalEncoder _encoder = new();
    private readonly string? _formatError;
    private Stream? _spooled;
    private long _upsertRows;
    private bool _upsertsRead;
    private bool _deletesRead;

    private ChangesetInput(DatasetDefinition dataset, ChangesetFormatDetector.Result changes, Stream? deletes, Encoding encoding)
    {
        _dataset = dataset;
        _changes = changes.Stream;
        _deletes = deletes;
        _encoding = encoding;
        _keys = new KeyTracker(dataset);
        Format = changes.Format;
        _formatError = changes.Error;
    }

    /// <summary>Everything wrong with the changeset found so far.</summary>
    public ProblemList Problems { get; } = new();

    /// <summary>The detected format of the changes file; null when it is neither CSV nor Parquet.</summary>
    public ChangesetFormat? Format { get; }

    /// <summary>Detects the format of <paramref name="changes"/> and prepares to read the changeset.</summary>
    /// <param name="dataset">The catalog entry the changeset is for.</param>
    /// <param name="changes">The changes file: CSV (header = column names) or Parquet.</param>
    /// <param name="deletes">Optional CSV with exactly the key columns of rows to delete.</param>
    /// <param name="encoding">The CSV files' encoding; null means UTF-8 (with or without BOM).</param>
    /// <param name="cancellationToken">Cancels detection.</param>
    public static async Task<ChangesetInput> OpenAsync(
        DatasetDefinition dataset, Stream changes, Stream? deletes, Encoding? encoding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(changes);
        var strict = ChangesetEncodings.Strict(encoding);
        var detected = await ChangesetFormatDetector.DetectAsync(changes, strict, cancellationToken);
        return new ChangesetInput(dataset, detected, deletes, strict);
    }

    /// <summary>The valid rows of the changes file, to be upserted.</summary>
    public async IAsyncEnumerable<ChangesetRow> ReadUpsertsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_upsertsRead)
        {
            throw new InvalidOperationException("the upserts of a changeset can be read only once");
        }

        _upsertsRead = true;
        await foreach (var row in ReadChangesAsync(cancellationToken))
        {
            if (IsUnique(row, inDeletes: false))
            {
                yield return row;
            }
        }

        if (_deletes is null)
        {
            ReportIfEmpty(0);
        }
    }

    /// <summary>The valid rows of the deletes file (key columns set, others null); empty when there is none.</summary>
    public async IAsyncEnumerable<ChangesetRow> ReadDeletesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!_upsertsRead || _deletesRead)
        {
            throw new InvalidOperationException("read the upserts of a changeset to the end first, then its deletes, once");
        }

        _deletesRead = true;
        if (_deletes is null)
        {
            yield break;
        }

        var detected = await ChangesetFormatDetector.DetectAsync(_deletes, _encoding, cancellationToken);
        if (detected.Format != ChangesetFormat.Csv)
        {
            Problems.Add(null, null, null, detected.Error ?? "a deletes file must be CSV with a header naming the key columns", DeletesCsvReader.FileLabel);
            yield break;
        }

        var reader = new DeletesCsvReader(_dataset, Problems);
        await foreach (var row in reader.ReadAsync(detected.Stream, _encoding, cancellationToken))
        {
            if (IsUnique(row, inDeletes: true))
            {
                yield return row;
            }
        }

        ReportIfEmpty(reader.HeaderAccepted ? reader.RowCount : -1);
    }

    public async ValueTask DisposeAsync()
    {
        if (_spooled is not null)
        {
            await _spooled.DisposeAsync();
        }
    }

    private async IAsyncEnumerable<ChangesetRow> ReadChangesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        switch (Format)
        {
            case ChangesetFormat.Csv:
                var csv = new CsvChangesetReader(_dataset, Problems);
                await foreach (var row in csv.ReadAsync(_changes, _encoding, cancellationToken))
                {
                    yield return row;
                }

                // A file without a usable header was already reported; "empty" would only add noise.
                _upsertRows = csv.HeaderAccepted ? csv.RowCount : -1;
                break;
            case ChangesetFormat.Parquet:
                var parquet = new ParquetChangesetReader(_dataset, Problems, _keys.Reserve);
                await foreach (var row in parquet.ReadAsync(await SeekableAsync(cancellationToken), cancellationToken))
                {
                    yield return row;
                }

                _upsertRows = parquet.SchemaAccepted ? parquet.RowCount : -1;
                break;
            default:
                Problems.Add(null, null, null, _formatError ?? "the file is neither CSV nor Parquet");
                _upsertRows = -1;
                break;
        }
    }

    // Parquet.Net needs to seek to the footer; an upload that cannot seek is spooled to a temporary file, not memory.
    private async Task<Stream> SeekableAsync(CancellationToken cancellationToken)
    {
        if (_changes.CanSeek)
        {
            return _changes;
        }

        var path = Path.GetTempFileName();
        await using (var spool = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            await _changes.CopyToAsync(spool, cancellationToken);
        }

        // Reopened read-only so that the reader cannot change the spool; the file goes away when this handle closes.
        _spooled = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Delete, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        return _spooled;
    }

    private bool IsUnique(ChangesetRow row, bool inDeletes)
    {
        var key = _encoder.EncodeKey(_dataset, row.Values);
        var earlier = _keys.Add(key, inDeletes, row.RowNumber);
        if (earlier is null)
        {
            row.Key = key.ToArray();
            return true;
        }

        var (earlierInDeletes, earlierRow) = earlier.Value;
        var at = earlierRow == 0 ? "an earlier row" : $"row {earlierRow}";
        var where = earlierInDeletes == inDeletes ? at : $"{at} of the changes file";
        var rule = inDeletes && !earlierInDeletes
            ? $"key ({_keys.Describe(row.Values)}) is both upserted ({where}) and deleted here; a key may appear once per changeset"
            : $"duplicate key ({_keys.Describe(row.Values)}), already at {where}; a key may appear once per changeset";
        var keyColumns = string.Join(", ", _dataset.PrimaryKey);
        Problems.Add(row.RowNumber, keyColumns, null, rule, inDeletes ? DeletesCsvReader.FileLabel : null);
        return false;
    }

    private void ReportIfEmpty(long deleteRows)
    {
        if (_upsertRows == 0 && deleteRows == 0)
        {
            Problems.Add(null, null, null, "the file is empty: it has a header but no rows, and there are no deletes; a changeset needs at least one row");
        }
    }
}
