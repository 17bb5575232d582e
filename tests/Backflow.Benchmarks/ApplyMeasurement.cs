namespace Backflow.Benchmarks;

/// <summary>One measured agent apply: the extract applied, rows, verify + apply time, verify time and peak working set.</summary>
internal sealed record ApplyMeasurement(string ExtractPath, long Rows, TimeSpan Elapsed, TimeSpan Verify, long PeakBytes);
