namespace Backflow.Server.Rebasing;

/// <summary>Why a dataset's regions were re-based; stable strings, shown in status and filtered on by scripts.</summary>
internal static class RebaseReasons
{
    /// <summary>An operator asked for it (<c>backflow-server resync</c>); the schema did not change.</summary>
    public const string Resync = "resync";

    /// <summary>The catalog changed a type, the key, the region column or a nullability; the publisher supplied every row again.</summary>
    public const string BreakingSchema = "breaking-schema";

    /// <summary>The catalog removed columns (and maybe appended nullable ones); the server re-encoded its stored rows.</summary>
    public const string RemovedColumns = "removed-columns";

    /// <summary>The publisher replaced every row (<c>rebase --file</c>) without a breaking schema change.</summary>
    public const string FullReload = "full-reload";
}
