namespace Backflow.Benchmarks;

/// <summary>What one run measures.</summary>
/// <param name="Only">The benchmarks to run (publish, apply, memory, polls, bootstrap, wire); empty means all. Publish
/// also runs when apply or wire need its output.</param>
internal sealed record BenchmarkOptions(long Rows, IReadOnlyList<long> MemoryRows, TimeSpan PollDuration, string Output, string? WorkParent, bool Keep,
    IReadOnlySet<string> Only)
{
    public bool Runs(string benchmark) => Only.Count == 0 || Only.Contains(benchmark);
}
