namespace Backflow.Protocol.Extracts;

/// <summary>The <c>_op</c> column of an extract file.</summary>
public enum ChangeOp
{
    /// <summary>Insert the row, or replace the row with the same key.</summary>
    Upsert = 0,

    /// <summary>Delete the row with this key; only key and region columns are set.</summary>
    Delete = 1,
}
