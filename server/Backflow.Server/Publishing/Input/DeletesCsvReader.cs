using System.Runtime.CompilerServices;
using System.Text;
using Backflow.Protocol.Catalog;

namespace Backflow.Server.Publishing.Input;

/// <summary>
/// Reads a CSV deletes file: a header naming exactly the key columns, then one key per row. Rows come out in
/// catalog width with only the key columns set; the region of a deleted key is looked up later, not trusted here.
/// </summary>
internal sealed class DeletesCsvReader(DatasetDefinition dataset, ProblemList problems)
{
    /// <summary>Names this file in problems, next to the changes file.</summary>
    public const string FileLabel = "deletes file";

    private readonly CsvTableReader _table = new(
        dataset ?? throw new ArgumentNullException(nameof(dataset)), dataset.KeyOrdinals, problems, FileLabel);

    /// <inheritdoc cref="CsvTableReader.RowCount"/>
    public long RowCount => _table.RowCount;

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
