namespace Backflow.Agent.Sync;

/// <summary>The result of syncing one feed.</summary>
internal sealed record FeedSyncResult(
    string Dataset,
    string Region,
    FeedOutcome Outcome,
    long FromSequence,
    long ToSequence,
    long LatestSequence,
    long Rows,
    string? Error)
{
    public string OutcomeText => Outcome.ToString().ToLowerInvariant();
}
