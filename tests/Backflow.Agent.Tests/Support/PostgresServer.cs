using System.Diagnostics;
using System.Globalization;
using Backflow.Agent.Loading.Postgres;
using Npgsql;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Backflow.Agent.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster from the machine's binaries (no Docker): <c>initdb</c> into a temp folder, a
/// <c>postgres</c> on a free loopback port with durability off (it is thrown away), one database per test, and
/// everything stopped and deleted on dispose. Missing binaries fail the tests with what to install — never a skip.
/// A test process that is killed cannot dispose its cluster, so each start first stops and deletes the clusters of
/// test processes that are gone (<see cref="StaleClusters"/>).
/// </summary>
/// <remarks>
/// <c>initdb</c> and <c>postgres</c> refuse to run as root; CI runs as root, so there they run as the OS user
/// <c>postgres</c> through <c>runuser</c>, and the cluster folder is created by (and owned by) that user.
/// </remarks>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string ServiceUser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly IMessageSink _log;
    // The cluster folder holds the owner file and, in data/, the cluster itself (initdb wants an empty folder).
    private readonly string _directory = Path.Combine(ClustersRoot, StaleClusters.Prefix + Guid.NewGuid().ToString("N"));
    private string _bin = string.Empty;
    private Process? _postgres;
    private int _databases;

    public PostgresServer(IMessageSink log) => _log = log;

    public int Port { get; private set; }

    /// <summary>Where the clusters' folders go. As root a cluster belongs to 'postgres', which must be able to create it: /tmp, not a root-only $TMPDIR.</summary>
    internal static string ClustersRoot => RunsAsRoot ? "/tmp" : Path.GetTempPath();

    internal static bool RunsAsRoot => Environment.UserName == "root";

    private string DataDirectory => DataDirectoryOf(_directory);

    /// <summary>How long initdb plus start-up took (printed with the test run's diagnostics).</summary>
    public TimeSpan StartupTime { get; private set; }

    public string AdminConnectionString => ConnectionStringFor("postgres");

    public async Task InitializeAsync()
    {
        // Npgsql reads its AppContext switches once; let the agent set its own before this fixture touches Npgsql.
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(PostgresConnections).TypeHandle);
        var watch = Stopwatch.StartNew();
        _bin = FindBinaries();
        foreach (var stale in await StaleClusters.RemoveAsync(ClustersRoot, arguments => RunAsync(_bin, "pg_ctl", arguments)))
        {
            _log.OnMessage(new DiagnosticMessage($"removed the PostgreSQL test cluster {stale} left by a test process that is gone"));
        }

        Port = LoopbackPorts.Free();
        using (var self = Process.GetCurrentProcess())
        {
            await CreateClusterFolderAsync(_directory, StaleClusters.OwnerText(self));
        }

        await InitDbAsync(_bin, DataDirectory);
        _postgres = Start(
            Path.Combine(_bin, "postgres"),
            ["-D", DataDirectory, "-k", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off"]);
        await WaitUntilReadyAsync();
        StartupTime = watch.Elapsed;
        _log.OnMessage(new DiagnosticMessage($"PostgreSQL test cluster on port {Port} ready in {StartupTime.TotalSeconds:F1} s ({_bin})"));
    }

    /// <summary>The cluster's own folder (what initdb made) inside a cluster folder.</summary>
    internal static string DataDirectoryOf(string clusterFolder) => Path.Combine(clusterFolder, "data");

    /// <summary>Makes a cluster folder owned by the cluster's user and records in it which test process owns the cluster.</summary>
    internal static async Task CreateClusterFolderAsync(string directory, string ownerText)
    {
        if (RunsAsRoot)
        {
            await RunAsync("/bin/mkdir", ["-m", "700", directory]);
        }
        else
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(Path.Combine(directory, StaleClusters.OwnerFile), ownerText);
    }

    internal static Task InitDbAsync(string bin, string dataDirectory) =>
        RunAsync(bin, "initdb", ["--auth=trust", "-U", "postgres", "--encoding=UTF8", "--locale=C", "--no-sync", "-D", dataDirectory]);

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "backflow_test_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture);
        await ExecuteAsync(AdminConnectionString, $"CREATE DATABASE {name}");
        return ConnectionStringFor(name);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/> (its pooled connections go with it).</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await ExecuteAsync(AdminConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var dataSource = PostgresConnections.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_postgres is { HasExited: false })
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                await RunAsync(_bin, "pg_ctl", ["stop", "-D", DataDirectory, "-m", "immediate", "-w"]);
            }
            catch (XunitException)
            {
                _postgres.Kill(entireProcessTree: true);
            }

            await _postgres.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        _postgres?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not turn into a failure of the tests that ran.
        }
    }

    private string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = "postgres",
        Timeout = 30,
    }.ConnectionString;

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_postgres!.HasExited)
            {
                throw new XunitException($"postgres exited with code {_postgres.ExitCode} while starting: {await _postgres.StandardError.ReadToEndAsync()}");
            }

            try
            {
                await ExecuteAsync(AdminConnectionString, "SELECT 1");
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < StartTimeout)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Starts a program as the cluster's user: as 'postgres' through runuser when the tests run as root.</summary>
    private static Process Start(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (RunsAsRoot)
        {
            info.FileName = "runuser";
            foreach (var argument in (string[])["-u", ServiceUser, "--", program, .. arguments])
            {
                info.ArgumentList.Add(argument);
            }
        }
        else
        {
            info.FileName = program;
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }
        }

        var process = Process.Start(info) ?? throw new XunitException($"could not start {program}");

        // postgres logs to stderr; drain stdout so a full pipe never blocks it.
        _ = process.StandardOutput.ReadToEndAsync();
        return process;
    }

    internal static Task RunAsync(string bin, string tool, IReadOnlyList<string> arguments) => RunAsync(Path.Combine(bin, tool), arguments);

    /// <summary>Runs a program as the cluster's user to its end; a non-zero exit fails the test with its error output.</summary>
    internal static async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        using var process = Start(program, arguments);
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(StartTimeout);
        if (process.ExitCode != 0)
        {
            throw new XunitException($"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {await error}");
        }
    }

    /// <summary>The folder of initdb/pg_ctl/postgres: PATH first, then Debian's /usr/lib/postgresql/&lt;version&gt;/bin.</summary>
    internal static string FindBinaries()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending(StringComparer.Ordinal).Select(d => Path.Combine(d, "bin"))
                : []);
        foreach (var folder in candidates)
        {
            if (new[] { "initdb", "pg_ctl", "postgres" }.All(tool => File.Exists(Path.Combine(folder, tool))))
            {
                return folder;
            }
        }

        throw new XunitException(
            "the PostgreSQL tests need the server binaries initdb, pg_ctl and postgres on PATH or in /usr/lib/postgresql/<version>/bin; "
            + "install them (Debian/Ubuntu: apt-get install postgresql; the service need not run). When running as root, an OS user 'postgres' must exist.");
    }

}
