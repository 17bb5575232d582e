using System.Runtime.CompilerServices;
using System.Text;
using Backflow.Protocol.Catalog;

namespace Backflow.Server.Publishing.Input;

/// <summary>Reads a CSV changes file: a header naming every catalog column (any order), then one row per upsert.</summary>
internal sealed class CsvChangesetReader(DatasetDefinition dataset, ProblemList problems)
{
    private readonly CsvTableReader _table = new(
        dataset ?? throw new ArgumentNullException(nameof(dataset)), Enumerable.Range(0, dataset.Columns.Count).ToArray(), problems, file: null);

    /// <inheritdoc cref="CsvTableReader.RowCount"/>
    public long RowCount => _table.RowCount;

    /// <inheritdoc cref="CsvTableReader.HasHeader"/>
    public bool HasHeader => _table.HasHeader;

    /// <inheritdoc cref="CsvTableReader.HeaderAccepted"/>
    public bool HeaderAccepted => _table.HeaderAccepted;

    /// <param name="stream">The file, read forward only.</param>
    /// <param name="encoding">UTF-8 (BOM optional) when null; otherwise e.g. <see cref="ChangesetEncodings.Gb18030"/>.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    public async IAsyncEnumerable<ChangesetRow> ReadAsync(Stream stream, Encoding? encoding, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var text = new StreamReader(stream, ChangesetEncodings.Strict(encoding), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        await foreach (var row in _table.ReadAsync(text, cancellationToken))
        {
            yield return row;
        }
    }
}
