namespace Backflow.Protocol.Manifests;

/// <summary>What an extract holds; written in manifests as <c>delta</c> or <c>snapshot</c>.</summary>
public enum ExtractKind
{
    /// <summary>The changes (upserts and deletes) of one publish.</summary>
    Delta,

    /// <summary>All live rows of the region as of the manifest's sequence.</summary>
    Snapshot,
}
