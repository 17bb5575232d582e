using System.Text;
using Backflow.Protocol.Catalog;

namespace Backflow.Server.Publishing;

/// <summary>The changes file of a deletes-only changeset: the dataset's header and no rows, so that a publisher who
/// only deletes need not write one by hand.</summary>
internal static class NoChanges
{
    public static Stream For(DatasetDefinition dataset) =>
        new MemoryStream(Encoding.UTF8.GetBytes(string.Join(',', dataset.Columns.Select(c => c.Name)) + "\n"), writable: false);
}
