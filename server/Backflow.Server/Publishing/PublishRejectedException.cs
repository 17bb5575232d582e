using Backflow.Server.Publishing.Input;

namespace Backflow.Server.Publishing;

/// <summary>The changeset had problems; nothing was published and no sequence was consumed.</summary>
internal sealed class PublishRejectedException(string dataset, ProblemList problems)
    : Exception($"changeset for '{dataset}' rejected: {problems.TotalCount} problem(s); nothing was published")
{
    public string Dataset { get; } = dataset;

    public ProblemList Problems { get; } = problems;
}
