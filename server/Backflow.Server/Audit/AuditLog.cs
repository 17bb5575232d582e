using Backflow.Server.Metadata;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Audit;

/// <summary>Appends to and queries the audit table. There is deliberately no update or delete here, and the
/// table's triggers refuse them from anywhere else.</summary>
internal sealed class AuditLog(MetadataDatabase database, WriteBatcher writes, TimeProvider time)
{
    /// <summary>Appends a record on its own, committed with other request handlers' writes (<see cref="WriteBatcher"/>);
    /// the task completes once the record is durable.</summary>
    public Task AppendAsync(string kind, string actor, string? agentId = null, string? dataset = null, string? region = null,
        long? sequence = null, long? bytes = null, string? detail = null)
    {
        // The time is taken now, when the event happened, not when its batch commits.
        var at = time.GetUtcNow();
        return writes.WriteAsync((connection, transaction) => Insert(connection, transaction, at, kind, actor, agentId, dataset, region, sequence, bytes, detail));
    }

    /// <summary>Appends a record inside the caller's own write, so it commits (or not) with what it records.</summary>
    public void Append(SqliteConnection connection, SqliteTransaction? transaction, string kind, string actor,
        string? agentId = null, string? dataset = null, string? region = null, long? sequence = null, long? bytes = null, string? detail = null) =>
        Insert(connection, transaction, time.GetUtcNow(), kind, actor, agentId, dataset, region, sequence, bytes, detail);

    private static void Insert(SqliteConnection connection, SqliteTransaction? transaction, DateTimeOffset at, string kind, string actor,
        string? agentId, string? dataset, string? region, long? sequence, long? bytes, string? detail)
    {
        connection.Execute(
            """
            INSERT INTO audit (at, kind, actor, agent_id, dataset, region, sequence, bytes, detail)
            VALUES (@at, @kind, @actor, @agentId, @dataset, @region, @sequence, @bytes, @detail)
            """,
            new { at = Timestamps.ToText(at), kind, actor, agentId, dataset, region, sequence, bytes, detail },
            transaction);
    }

    public IReadOnlyList<AuditRecord> Query(DateTimeOffset? since, string? agentId, string? dataset, int limit = 1000)
    {
        using var connection = database.Open();
        return connection.Query<AuditRecord>(
            """
            SELECT id AS Id, at AS At, kind AS Kind, actor AS Actor, agent_id AS AgentId, dataset AS Dataset,
                   region AS Region, sequence AS Sequence, bytes AS Bytes, detail AS Detail
            FROM audit
            WHERE (@since IS NULL OR at >= @since)
              AND (@agentId IS NULL OR agent_id = @agentId)
              AND (@dataset IS NULL OR dataset = @dataset)
            ORDER BY id DESC
            LIMIT @limit
            """,
            new { since = since is null ? null : Timestamps.ToText(since.Value), agentId, dataset, limit }).ToList();
    }
}
