using System.Diagnostics;
using System.Globalization;
using Backflow.EndToEnd.Tests.Kit;

namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>
/// Runs <c>backflow-agent sync</c> with extra configuration in <c>BACKFLOW__…</c> environment variables (as an operator
/// would set them) and, optionally, a per-file size limit that makes the staging folder behave as if full.
/// </summary>
internal static class AgentRunner
{
    /// <summary>Short backoff so that the HTTP retries after a cut do not dominate the trial's time.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastRetries = new Dictionary<string, string>
    {
        ["BACKFLOW__RETRYDELAY"] = "00:00:00.100",
    };

    public static async Task<ProcessResult> SyncAsync(AgentProcess agent, IReadOnlyDictionary<string, string> environment, long? fileSizeLimitKiB = null)
    {
        var workingDirectory = Path.GetDirectoryName(agent.StateDirectory)!;
        var info = DotnetProcess.StartInfo(RepoPaths.AgentDll, ["sync", "--state", agent.StateDirectory], workingDirectory);
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        if (fileSizeLimitKiB is { } limit)
        {
            // RLIMIT_FSIZE needs no root and no mount: writes past the limit fail with EFBIG, the same way a full disk
            // fails them with ENOSPC. SIGXFSZ would kill the process instead; an ignored signal stays ignored across exec.
            // The runtime's W^X double mapping sizes a shared-memory file beyond any small limit and fails start-up.
            info.Environment["DOTNET_EnableWriteXorExecute"] = "0";
            info.FileName = "bash";
            info.ArgumentList.Insert(0, "dotnet");
            info.ArgumentList.Insert(0, "bash");
            info.ArgumentList.Insert(0, string.Create(CultureInfo.InvariantCulture, $"trap '' XFSZ; ulimit -f {limit}; exec \"$@\""));
            info.ArgumentList.Insert(0, "-c");
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"backflow-agent sync --state {agent.StateDirectory} did not finish within 3 minutes");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
