namespace Backflow.Benchmarks;

/// <summary>What one run measures.</summary>
internal sealed record BenchmarkOptions(long Rows, IReadOnlyList<long> MemoryRows, TimeSpan PollDuration, string Output, string? WorkParent, bool Keep);
