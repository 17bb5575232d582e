namespace Backflow.Server.Publishing.Input;

/// <summary>One validated row of a changeset.</summary>
/// <param name="RowNumber">1-based data row number in its file, for messages later in the pipeline.</param>
/// <param name="Values">Values in catalog column order, as <see cref="Backflow.Protocol.Rows.RowValues"/> defines them.
/// A delete row carries only its key columns; the others are null.</param>
internal sealed record ChangesetRow(long RowNumber, object?[] Values)
{
    /// <summary>The canonical key encoding, set by <see cref="ChangesetInput"/> when it checks the key is unique, so that
    /// nothing downstream encodes the key again.</summary>
    public byte[] Key { get; set; } = [];
}
