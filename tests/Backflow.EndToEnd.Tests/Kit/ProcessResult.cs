namespace Backflow.EndToEnd.Tests.Kit;

/// <summary>A finished child process: exit code and everything it printed.</summary>
internal sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}
