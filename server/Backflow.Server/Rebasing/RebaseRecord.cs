namespace Backflow.Server.Rebasing;

/// <summary>One re-base as status shows it: which regions of which dataset started a new generation, why, and when.</summary>
/// <param name="OldSchemaVersion">The schema version published before; null when there was none.</param>
/// <param name="Generation">The highest new generation among <paramref name="Regions"/>.</param>
/// <param name="Change">The schema lines that changed, for a schema re-base.</param>
internal sealed record RebaseRecord(
    string Dataset,
    IReadOnlyList<string> Regions,
    string Reason,
    long? OldSchemaVersion,
    long NewSchemaVersion,
    long Generation,
    long Rows,
    string? Change,
    string Actor,
    DateTimeOffset At);
