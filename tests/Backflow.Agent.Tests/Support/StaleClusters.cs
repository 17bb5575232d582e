using System.Diagnostics;
using System.Globalization;

namespace Backflow.Agent.Tests.Support;

/// <summary>
/// Test clusters whose test process died without disposing them (killed run, crashed host). Every cluster folder is
/// named <see cref="Prefix"/>… and holds an <see cref="OwnerFile"/> with the id and start time of the test process that
/// made it; a cluster whose owner is gone is stopped (<c>pg_ctl stop -m immediate</c>, as the cluster's user) and deleted.
/// </summary>
/// <remarks>
/// A folder without an owner file is left alone: it may be one being created right now by another test process, or
/// one made before owner files existed; either way nothing here can tell whether it is still in use.
/// </remarks>
internal static class StaleClusters
{
    public const string Prefix = "backflow-pg-";
    public const string OwnerFile = "owner";

    /// <summary>The owner file's text for a process: "pid start-time-ticks", the start time telling a reused pid apart.</summary>
    public static string OwnerText(Process process) =>
        string.Create(CultureInfo.InvariantCulture, $"{process.Id} {process.StartTime.ToUniversalTime().Ticks}");

    /// <summary>Whether the process the owner text names still runs (the same process, not a later one with its pid).</summary>
    public static bool IsAlive(string ownerText)
    {
        var parts = ownerText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid) || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var ticks))
        {
            return true; // unreadable: not ours to judge
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && process.StartTime.ToUniversalTime().Ticks == ticks;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false; // no such process
        }
    }

    /// <summary>Stops and deletes every cluster under <paramref name="root"/> whose owner has gone; returns the folders removed.</summary>
    /// <param name="stop">Runs <c>pg_ctl</c> with the given arguments as the cluster's user.</param>
    public static async Task<IReadOnlyList<string>> RemoveAsync(string root, Func<IReadOnlyList<string>, Task> stop)
    {
        var removed = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            string owner;
            try
            {
                owner = await File.ReadAllTextAsync(Path.Combine(directory, OwnerFile));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // no owner file (or another process removed the folder meanwhile)
            }

            if (IsAlive(owner))
            {
                continue;
            }

            var data = PostgresServer.DataDirectoryOf(directory);
            if (PostmasterRuns(data))
            {
                try
                {
                    await stop(["stop", "-D", data, "-m", "immediate", "-w"]);
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException or TimeoutException)
                {
                    // A stale postmaster.pid of a cluster that is not running: pg_ctl says so and there is nothing to stop.
                }
            }

            try
            {
                Directory.Delete(directory, recursive: true);
                removed.Add(directory);
            }
            catch (IOException)
            {
                // Another test process is cleaning it up at the same time (or did first).
            }
        }

        return removed;
    }

    /// <summary>
    /// Whether the postmaster that <c>postmaster.pid</c> names runs on this data folder. pg_ctl signals that pid
    /// without asking; after a reboot it may be any process, even another test's cluster, so its command line must
    /// name this folder (this fixture always starts <c>postgres -D &lt;data&gt;</c>).
    /// </summary>
    internal static bool PostmasterRuns(string dataDirectory)
    {
        try
        {
            var pid = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First().Trim();
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return commandLine.Contains(dataDirectory, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false; // no pid file, an empty one, or no such process
        }
    }
}
