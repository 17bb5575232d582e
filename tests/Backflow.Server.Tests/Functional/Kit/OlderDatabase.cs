using Backflow.Server.Metadata;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Tests.Functional.Kit;

/// <summary>A metadata database as a server at an older version left it, for testing the upgrade from there.</summary>
internal static class OlderDatabase
{
    /// <summary>Runs the migration scripts up to and including <paramref name="lastScript"/> (a file name such as
    /// <c>007-region-rows.sql</c>), sets the version to match, then lets <paramref name="seed"/> add rows.</summary>
    public static void Create(string path, string lastScript, Action<SqliteConnection> seed)
    {
        var all = MetadataDatabase.MigrationScripts();
        var count = all.ToList().FindIndex(s => s.EndsWith(lastScript, StringComparison.Ordinal)) + 1;
        Assert.True(count > 0, $"no migration script {lastScript}");
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        connection.Execute("PRAGMA journal_mode = WAL;");
        foreach (var script in all.Take(count))
        {
            connection.Execute(MetadataDatabase.ReadScript(script));
        }

        connection.Execute($"PRAGMA user_version = {count};");
        seed(connection);
    }
}
