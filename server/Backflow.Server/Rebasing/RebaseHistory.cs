using Backflow.Server.Metadata;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Rebasing;

/// <summary>Reads and writes the <c>rebases</c> table (see <c>002-rebases.sql</c>).</summary>
internal static class RebaseHistory
{
    public static void Record(SqliteConnection connection, SqliteTransaction transaction, RebaseRecord record) =>
        connection.Execute(
            """
            INSERT INTO rebases (dataset, regions, reason, old_schema_version, new_schema_version, generation, rows, change, actor, at)
            VALUES (@Dataset, @regions, @Reason, @OldSchemaVersion, @NewSchemaVersion, @Generation, @Rows, @Change, @Actor, @at)
            """,
            new
            {
                record.Dataset,
                regions = string.Join(',', record.Regions),
                record.Reason,
                record.OldSchemaVersion,
                record.NewSchemaVersion,
                record.Generation,
                record.Rows,
                record.Change,
                record.Actor,
                at = Timestamps.ToText(record.At),
            },
            transaction);

    /// <summary>The latest re-bases, newest first; of one dataset, or of all.</summary>
    public static IReadOnlyList<RebaseRecord> Recent(SqliteConnection connection, string? dataset, int limit) =>
        connection.Query<Row>(
            """
            SELECT dataset AS Dataset, regions AS Regions, reason AS Reason, old_schema_version AS OldSchemaVersion,
                   new_schema_version AS NewSchemaVersion, generation AS Generation, rows AS Rows, change AS Change, actor AS Actor, at AS At
            FROM rebases WHERE @dataset IS NULL OR dataset = @dataset ORDER BY id DESC LIMIT @limit
            """,
            new { dataset, limit })
            .Select(r => new RebaseRecord(
                r.Dataset, r.Regions.Split(',', StringSplitOptions.RemoveEmptyEntries), r.Reason, r.OldSchemaVersion, r.NewSchemaVersion,
                r.Generation, r.Rows, r.Change, r.Actor, Timestamps.Parse(r.At)))
            .ToList();

    private sealed record Row(string Dataset, string Regions, string Reason, long? OldSchemaVersion, long NewSchemaVersion, long Generation, long Rows,
        string? Change, string Actor, string At);
}
