using System.Diagnostics;
using System.Text;

namespace Backflow.EndToEnd.Tests.Kit;

/// <summary>Runs a built .NET program (<c>dotnet x.dll …</c>) as a child process.</summary>
internal static class DotnetProcess
{
    /// <param name="environment">Extra variables, e.g. <c>BACKFLOW__STORAGE__MODE</c>, on top of this process's own.</param>
    public static ProcessStartInfo StartInfo(string dll, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>Runs to completion (bounded by <paramref name="timeout"/>) and returns the exit code and output.</summary>
    public static async Task<ProcessResult> RunAsync(string dll, IEnumerable<string> args, string workingDirectory, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Process.Start(StartInfo(dll, args, workingDirectory, environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {Path.GetFileName(dll)} {string.Join(' ', args)} did not finish in time");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
