using System.Globalization;

namespace Backflow.Server.Publishing.Input;

/// <summary>
/// Collects a changeset's problems. Validation is all-or-nothing, so readers report every problem instead of
/// stopping at the first; only the first <see cref="MaxStored"/> are kept, but all are counted.
/// </summary>
internal sealed class ProblemList
{
    /// <summary>A publisher fixes problems in batches; beyond this many, more detail only costs memory.</summary>
    public const int MaxStored = 100;

    private readonly List<ChangesetProblem> _stored = [];

    /// <summary>The first <see cref="MaxStored"/> problems, in the order found.</summary>
    public IReadOnlyList<ChangesetProblem> Items => _stored;

    /// <summary>How many problems were found in total, including those not stored.</summary>
    public long TotalCount { get; private set; }

    public bool HasProblems => TotalCount > 0;

    public void Add(ChangesetProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        TotalCount++;
        if (_stored.Count < MaxStored)
        {
            _stored.Add(problem);
        }
    }

    public void Add(long? row, string? column, string? value, string rule, string? file = null) =>
        Add(new ChangesetProblem(row, column, value, rule, file));

    /// <summary>A summary line followed by one line per stored problem.</summary>
    public override string ToString()
    {
        var head = TotalCount > _stored.Count
            ? string.Create(CultureInfo.InvariantCulture, $"{TotalCount} problems (the first {_stored.Count} are listed)")
            : string.Create(CultureInfo.InvariantCulture, $"{TotalCount} problem(s)");
        return string.Join('\n', _stored.Select(p => p.ToString()).Prepend(head));
    }
}
