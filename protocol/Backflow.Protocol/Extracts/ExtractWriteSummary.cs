namespace Backflow.Protocol.Extracts;

/// <summary>What an <see cref="ExtractWriter"/> has written so far; the counts go into the manifest.</summary>
/// <param name="Upserts">Rows with <see cref="ChangeOp.Upsert"/>.</param>
/// <param name="Deletes">Rows with <see cref="ChangeOp.Delete"/>.</param>
/// <param name="RowGroups">Row groups written.</param>
public sealed record ExtractWriteSummary(long Upserts, long Deletes, int RowGroups)
{
    /// <summary>All rows written: upserts plus deletes.</summary>
    public long Rows => Upserts + Deletes;
}
