using System.Collections.Concurrent;
using System.Diagnostics;

namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>Request latencies (send to last body byte) of many concurrent clients, for the percentiles in a tally.</summary>
internal sealed class LatencyRecorder
{
    private readonly ConcurrentQueue<double> _milliseconds = new();

    public int Count => _milliseconds.Count;

    public void Add(long startTimestamp) => _milliseconds.Enqueue(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    /// <summary>The nearest-rank percentile in milliseconds; 0 when nothing was recorded.</summary>
    public double Percentile(double p)
    {
        var sorted = _milliseconds.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
