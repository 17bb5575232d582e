using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Backflow.Benchmarks;

/// <summary>
/// Runs a real executable as a child process and measures its wall time and peak resident set (the kernel's
/// high-water mark, not a sample): via <c>/usr/bin/time</c> when installed (exact, from wait4's rusage), else by
/// polling <c>/proc/&lt;pid&gt;/status</c> VmHWM, which can miss a peak in the last poll interval.
/// </summary>
internal static class ChildRun
{
    private const string TimeTool = "/usr/bin/time";

    public static async Task<ChildResult> RunAsync(string dll, IReadOnlyList<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var rssFile = Path.Combine(Path.GetTempPath(), "backflow-bench-rss-" + Guid.NewGuid().ToString("N"));
        var useTime = File.Exists(TimeTool);
        var info = new ProcessStartInfo(useTime ? TimeTool : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (useTime)
        {
            foreach (var a in new[] { "-f", "%M", "-o", rssFile, "dotnet" })
            {
                info.ArgumentList.Add(a);
            }
        }

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
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + info.FileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long polled = 0;
        while (!process.HasExited)
        {
            polled = Math.Max(polled, ReadHighWaterMark(process.Id));
            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(20));
        }

        await process.WaitForExitAsync();
        var elapsed = clock.Elapsed;
        long peak = polled;
        if (useTime && File.Exists(rssFile))
        {
            var lines = (await File.ReadAllLinesAsync(rssFile)).Where(l => l.Length > 0).ToArray();
            if (lines.Length > 0 && long.TryParse(lines[^1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb))
            {
                peak = kb * 1024;
            }

            File.Delete(rssFile);
        }

        return new ChildResult(process.ExitCode, await stdout, await stderr, elapsed, peak);
    }

    /// <summary>VmHWM of a live process in bytes; 0 when it cannot be read (exited, or not Linux).</summary>
    public static long ReadHighWaterMark(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var digits = new string(line.Where(char.IsAsciiDigit).ToArray());
                    return long.Parse(digits, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }
}
