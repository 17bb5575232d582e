using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Backflow.Benchmarks;

/// <summary>Runs every benchmark once, in order, printing each row as it is measured; writes the table at the end.</summary>
internal static class BenchmarkRun
{
    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var table = new ResultTable();
        var clock = Stopwatch.StartNew();
        using (var workspace = new Workspace(options.WorkParent, options.Keep))
        {
            Console.WriteLine($"workspace {workspace.Root}; {PublishBenchmark.Format(options.Rows)} rows");
            var csv = workspace.File($"rows-{options.Rows}.csv");
            ServerData? fromParquet = null;
            if (options.Runs("publish") || options.Runs("apply") || options.Runs("wire") || options.Runs("bootstrap"))
            {
                (_, fromParquet) = await PublishBenchmark.RunAsync(workspace, options.Rows, table);
            }

            if (options.Runs("apply"))
            {
                await ApplyBenchmark.RunAsync(workspace, fromParquet!, options.Rows, table);
            }

            foreach (var rows in options.MemoryRows.Where(r => r != options.Rows && options.Runs("memory")))
            {
                await MemoryBenchmark.RunAsync(workspace, rows, table);
            }

            if (options.Runs("polls"))
            {
                await PollBenchmark.RunAsync(workspace, table, options.PollDuration);
            }

            if (options.Runs("wire"))
            {
                await WireBenchmark.RunAsync(workspace, fromParquet!, csv, options.Rows, table);
            }

            if (options.Runs("bootstrap"))
            {
                await BootstrapBenchmark.RunAsync(workspace, fromParquet!, options.Rows, table);
            }
        }

        var heading = string.Create(CultureInfo.InvariantCulture,
            $"Measured {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC, commit {Commit()}, {Environment.ProcessorCount} cores, "
            + $"{RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {BuiltPaths.ConfigurationName}; "
            + $"`--rows {options.Rows}`, whole run {clock.Elapsed.TotalMinutes:0.0} min.");
        var markdown = table.ToMarkdown(heading);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
        await File.WriteAllTextAsync(options.Output, markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine("written to " + Path.GetFullPath(options.Output));
        return 0;
    }

    private static string Commit()
    {
        try
        {
            var info = new ProcessStartInfo("git", ["-C", BuiltPaths.Root, "rev-parse", "--short", "HEAD"]) { RedirectStandardOutput = true, UseShellExecute = false };
            using var git = Process.Start(info)!;
            var text = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? text : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
