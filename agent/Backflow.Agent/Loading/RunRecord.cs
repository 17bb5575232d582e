namespace Backflow.Agent.Loading;

/// <summary>One sync of one feed, as kept in <c>backflow_runs</c> and reported to the server.</summary>
/// <param name="Outcome">current | behind | failed | blocked | rebased.</param>
internal sealed record RunRecord(
    string Dataset,
    string Region,
    long FromSequence,
    long ToSequence,
    long Rows,
    long DurationMs,
    string Outcome,
    string? Error,
    DateTimeOffset StartedAt);
