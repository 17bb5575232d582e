using System.Reflection;
using Backflow.Server.Hosting;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Metadata;

/// <summary>
/// The server's metadata store on the embedded default: one SQLite file in WAL mode, so agents' feed reads
/// never wait for a publish, and a publish is one write transaction (all regions or none).
/// </summary>
internal sealed class MetadataDatabase
{
    /// <summary>
    /// The page size of a new database, in bytes (SQLite's default is 4,096). A publish writes every new key into three
    /// B-trees; with 16 KiB pages the same inserts take about half as many page splits and WAL frames and a quarter of the
    /// write calls. Measured (README, Benchmarks): a million-row first publish spent 5.1 s instead of 6.3 s in key-index
    /// inserts and 1.6 s instead of 2.2 s in its commit. A database made before keeps its page size until
    /// <c>backflow-server compact</c> rebuilds it (<see cref="MetadataCompaction"/>).
    /// </summary>
    public const int PageSize = 16_384;

    private readonly string _connectionString;
    private readonly string _path;

    public MetadataDatabase(ServerPaths paths)
    {
        paths.EnsureCreated();
        _path = paths.MetadataDatabase;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = paths.MetadataDatabase,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
        Migrate();
    }

    /// <summary>Opens a connection with the pragmas every connection needs.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // busy_timeout makes concurrent writers (CLI and running server) wait instead of failing at once.
        connection.Execute("PRAGMA busy_timeout = 60000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;");
        return connection;
    }

    /// <summary>Begins a write transaction that takes the write lock at once (BEGIN IMMEDIATE), so two
    /// publishers serialize at the start instead of failing at commit.</summary>
    public static SqliteTransaction BeginWrite(SqliteConnection connection) => connection.BeginTransaction(deferred: false);

    private void Migrate()
    {
        using var connection = Open();
        // Takes effect only while the file is still empty, so only a new database gets it.
        connection.Execute($"PRAGMA page_size = {PageSize};");
        connection.Execute("PRAGMA journal_mode = WAL;");
        var version = connection.ExecuteScalar<long>("PRAGMA user_version;");
        var scripts = MigrationScripts();
        if (version > 0 && version < scripts.Count)
        {
            // An upgrade can take a while on a large server (version 6 rewrites the key index: ~10 s per million keys);
            // say so instead of looking hung. On stderr, so that --json output stays parseable.
            Console.Error.WriteLine($"note: upgrading {_path} from version {version} to {scripts.Count}; this may take a minute per few million published rows");
        }

        for (var i = (int)version; i < scripts.Count; i++)
        {
            using var transaction = BeginWrite(connection);
            connection.Execute(ReadScript(scripts[i]), transaction: transaction);
            if (scripts[i].EndsWith(RowFileMigration.Script, StringComparison.Ordinal))
            {
                RowFileMigration.Run(connection, transaction);
            }

            connection.Execute($"PRAGMA user_version = {i + 1};", transaction: transaction);
            transaction.Commit();
        }
    }

    /// <summary>The migration scripts in the order they run; script i brings the database to version i + 1.</summary>
    internal static IReadOnlyList<string> MigrationScripts() =>
        [.. typeof(MetadataDatabase).Assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    internal static string ReadScript(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
