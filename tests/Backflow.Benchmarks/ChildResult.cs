namespace Backflow.Benchmarks;

/// <summary>What a measured child process did: exit code, output, wall time and peak resident set in bytes.</summary>
internal sealed record ChildResult(int ExitCode, string Output, string Error, TimeSpan Elapsed, long PeakBytes)
{
    public ChildResult EnsureSuccess(string what) =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"{what} failed with exit code {ExitCode}:\n{Output}\n{Error}");
}
