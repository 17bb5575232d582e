namespace Backflow.Protocol.Extracts;

/// <summary>One row of an extract: the change and the values in catalog column order (see <see cref="Rows.RowValues"/>).</summary>
/// <param name="Op">Upsert or delete.</param>
/// <param name="Values">Values in catalog column order; for a delete, only key and region columns are non-null.</param>
public readonly record struct ExtractRow(ChangeOp Op, object?[] Values);
