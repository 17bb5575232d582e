using System.Diagnostics;
using System.Globalization;
using Backflow.Agent.Tests.Support;
using Xunit.Sdk;

namespace Backflow.Agent.Tests.Postgres;

/// <summary>
/// Clusters left behind by killed test processes are stopped and deleted when the next fixture starts. The sweep runs
/// in a folder of its own here, so that it never meets the clusters of test processes running alongside.
/// </summary>
public sealed class StaleClusterTests : IDisposable
{
    private readonly string _root = Directory.CreateDirectory(Path.Combine(PostgresServer.ClustersRoot, "backflow-stale-test-" + Guid.NewGuid().ToString("N"))).FullName;

    public StaleClusterTests()
    {
        // As root the clusters' folders are made by 'postgres', which must be able to write here. (The fixture runs on Linux only.)
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        }
    }

    [Fact]
    public async Task A_cluster_still_running_for_a_test_process_that_is_gone_is_stopped_and_deleted_and_live_or_unknown_ones_are_kept()
    {
        var bin = PostgresServer.FindBinaries();
        var dead = await DeadProcessOwnerAsync();
        var running = Path.Combine(_root, StaleClusters.Prefix + "running");
        await PostgresServer.CreateClusterFolderAsync(running, dead);
        var data = PostgresServer.DataDirectoryOf(running);
        await PostgresServer.InitDbAsync(bin, data);
        var port = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        await PostgresServer.RunAsync(bin, "pg_ctl", ["start", "-w", "-D", data, "-l", Path.Combine(running, "postgres.log"),
            "-o", $"-p {port} -k {data} -c listen_addresses=127.0.0.1"]);
        var postmaster = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        Assert.True(IsRunning(postmaster), $"the stale cluster's postmaster {postmaster} should run before the sweep");

        var folderOnly = Path.Combine(_root, StaleClusters.Prefix + "folder-only");
        await PostgresServer.CreateClusterFolderAsync(folderOnly, dead);
        var live = Path.Combine(_root, StaleClusters.Prefix + "live");
        using (var self = Process.GetCurrentProcess())
        {
            await PostgresServer.CreateClusterFolderAsync(live, StaleClusters.OwnerText(self));
        }

        var unknown = Directory.CreateDirectory(Path.Combine(_root, StaleClusters.Prefix + "no-owner-file")).FullName;

        var removed = await StaleClusters.RemoveAsync(_root, arguments => PostgresServer.RunAsync(bin, "pg_ctl", arguments));

        Assert.Equal([folderOnly, running], removed.Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(running));
        Assert.False(Directory.Exists(folderOnly));
        Assert.True(Directory.Exists(live));
        Assert.True(Directory.Exists(unknown));
        Assert.False(IsRunning(postmaster), $"the stale cluster's postmaster {postmaster} still runs after the sweep");
    }

    [Fact]
    public async Task The_fixture_removes_a_cluster_folder_of_a_dead_test_process_when_it_starts()
    {
        var stale = Path.Combine(PostgresServer.ClustersRoot, StaleClusters.Prefix + Guid.NewGuid().ToString("N"));
        await PostgresServer.CreateClusterFolderAsync(stale, await DeadProcessOwnerAsync());

        var server = new PostgresServer(new NullMessageSink());
        try
        {
            await server.InitializeAsync();
            Assert.False(Directory.Exists(stale), $"{stale} outlived the next fixture's start");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_owner_is_alive_only_while_the_same_process_runs_not_a_later_one_with_its_pid()
    {
        using var self = Process.GetCurrentProcess();
        var text = StaleClusters.OwnerText(self);
        Assert.True(StaleClusters.IsAlive(text));
        Assert.False(StaleClusters.IsAlive(string.Create(CultureInfo.InvariantCulture, $"{self.Id} {self.StartTime.ToUniversalTime().Ticks - 1}")));
        Assert.False(StaleClusters.IsAlive(await DeadProcessOwnerAsync()));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The owner text of a process that ran and has exited.</summary>
    private static async Task<string> DeadProcessOwnerAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false }) ?? throw new XunitException("could not start sleep");
        var owner = StaleClusters.OwnerText(process);
        process.Kill();
        await process.WaitForExitAsync();
        return owner;
    }

    /// <summary>Whether the process exists and is not a zombie (an exited postmaster nobody has reaped yet has stopped all the same).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

}
