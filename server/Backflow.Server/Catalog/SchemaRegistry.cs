using Backflow.Protocol.Catalog;
using Backflow.Server.Metadata;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Catalog;

/// <summary>Numbers the schema versions of each dataset: a new version whenever the catalog's schema hash changes.</summary>
internal static class SchemaRegistry
{
    public sealed record SchemaVersion(long Version, string SchemaHash);

    public static SchemaVersion? Latest(SqliteConnection connection, string dataset, SqliteTransaction? transaction = null) =>
        connection.QuerySingleOrDefault<SchemaVersion>(
            "SELECT version AS Version, schema_hash AS SchemaHash FROM schema_versions WHERE dataset = @dataset ORDER BY version DESC LIMIT 1",
            new { dataset },
            transaction);

    /// <summary>Returns the version of the dataset's current schema, registering it when it is new.</summary>
    public static long Register(SqliteConnection connection, SqliteTransaction transaction, DatasetDefinition dataset, DateTimeOffset now)
    {
        var latest = Latest(connection, dataset.Id, transaction);
        if (latest is not null && latest.SchemaHash == dataset.SchemaHash)
        {
            return latest.Version;
        }

        var version = (latest?.Version ?? 0) + 1;
        connection.Execute(
            "INSERT INTO schema_versions (dataset, version, schema_hash, schema_text, registered_at) VALUES (@Id, @version, @SchemaHash, @SchemaText, @at)",
            new { dataset.Id, version, dataset.SchemaHash, dataset.SchemaText, at = Timestamps.ToText(now) },
            transaction);
        return version;
    }
}
