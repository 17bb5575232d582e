namespace Backflow.Protocol.Catalog;

/// <summary>The share attribute of a dataset under the 2025 Regulation on Government Data Sharing.</summary>
public enum ShareType
{
    /// <summary>Shared with any authorised grantee without further approval (无条件共享).</summary>
    Unconditional,

    /// <summary>Shared only after an approval that is recorded with the grant (有条件共享).</summary>
    Conditional,

    /// <summary>Not shared; a dataset of this type can never be granted (不予共享).</summary>
    None,
}
