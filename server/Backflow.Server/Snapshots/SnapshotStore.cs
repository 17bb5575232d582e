using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Snapshots;

/// <summary>Queries about the snapshots and deltas of a feed, on the manifests table.</summary>
internal static class SnapshotStore
{
    /// <summary>The sequence of the feed's latest snapshot, or null when it has none.</summary>
    public static long? LatestSnapshot(SqliteConnection connection, SqliteTransaction? transaction, string dataset, string region) =>
        connection.ExecuteScalar<long?>(
            "SELECT MAX(sequence) FROM manifests WHERE dataset = @dataset AND region = @region AND kind = 'snapshot'",
            new { dataset, region },
            transaction);

    /// <summary>Deltas after the latest snapshot (all deltas when there is none) and the rows they changed.</summary>
    public static (long Deltas, long ChangedRows) ChangesSinceSnapshot(SqliteConnection connection, string dataset, string region)
    {
        var since = LatestSnapshot(connection, null, dataset, region) ?? 0;
        return connection.QuerySingle<(long, long)>(
            """
            SELECT COUNT(*), COALESCE(SUM(upserts + deletes), 0) FROM manifests
            WHERE dataset = @dataset AND region = @region AND kind = 'delta' AND sequence > @since
            """,
            new { dataset, region, since });
    }

    /// <summary>The canonical schema text of a registered schema version, or null when unknown.</summary>
    public static string? SchemaText(SqliteConnection connection, SqliteTransaction? transaction, string dataset, long version) =>
        connection.ExecuteScalar<string?>(
            "SELECT schema_text FROM schema_versions WHERE dataset = @dataset AND version = @version",
            new { dataset, version },
            transaction);
}
