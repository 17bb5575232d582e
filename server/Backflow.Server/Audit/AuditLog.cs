using Backflow.Server.Metadata;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Audit;

/// <summary>Appends to and queries the audit table. There is deliberately no update or delete here, and the
/// table's triggers refuse them from anywhere else.</summary>
internal sealed class AuditLog(MetadataDatabase database, TimeProvider time)
{
    public void Append(string kind, string actor, string? agentId = null, string? dataset = null, string? region = null,
        long? sequence = null, long? bytes = null, string? detail = null)
    {
        using var connection = database.Open();
        Append(connection, null, kind, actor, agentId, dataset, region, sequence, bytes, detail);
    }

    public void Append(SqliteConnection connection, SqliteTransaction? transaction, string kind, string actor,
        string? agentId = null, string? dataset = null, string? region = null, long? sequence = null, long? bytes = null, string? detail = null)
    {
        connection.Execute(
            """
            INSERT INTO audit (at, kind, actor, agent_id, dataset, region, sequence, bytes, detail)
            VALUES (@at, @kind, @actor, @agentId, @dataset, @region, @sequence, @bytes, @detail)
            """,
            new { at = Timestamps.ToText(time.GetUtcNow()), kind, actor, agentId, dataset, region, sequence, bytes, detail },
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
