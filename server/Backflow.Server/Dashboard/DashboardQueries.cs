using Backflow.Server.Audit;
using Backflow.Server.Metadata;
using Dapper;

namespace Backflow.Server.Dashboard;

/// <summary>The reads the agent and dataset pages need beyond fleet status.</summary>
internal static class DashboardQueries
{
    public static IReadOnlyList<RunRecord> RecentRuns(MetadataDatabase database, string agentId, int limit = 50)
    {
        using var connection = database.Open();
        return connection.Query<RunRecord>(
            """
            SELECT id AS Id, dataset AS Dataset, region AS Region, from_sequence AS FromSequence, to_sequence AS ToSequence, rows AS Rows,
                   duration_ms AS DurationMs, outcome AS Outcome, error AS Error, started_at AS StartedAt, reported_at AS ReportedAt
            FROM runs WHERE agent_id = @agentId ORDER BY id DESC LIMIT @limit
            """,
            new { agentId, limit }).ToList();
    }

    public static IReadOnlyList<(string Region, long Sequence, string Kind, long Upserts, long Deletes, long FileBytes, string PublishedAt)> RecentPublishes(
        MetadataDatabase database, string dataset, int limit = 50)
    {
        using var connection = database.Open();
        return connection.Query<(string, long, string, long, long, long, string)>(
            """
            SELECT region, sequence, kind, upserts, deletes, file_bytes, published_at FROM manifests
            WHERE dataset = @dataset ORDER BY published_at DESC, region LIMIT @limit
            """,
            new { dataset, limit }).ToList();
    }

    /// <summary>The agent's downloads and direct links, newest first; filtered in SQL so that neither kind crowds the other out of the limit.</summary>
    public static IReadOnlyList<ExtractAccess> ExtractAccesses(MetadataDatabase database, string agentId, int limit = 50)
    {
        using var connection = database.Open();
        return connection.Query<AuditRecord>(
            """
            SELECT id AS Id, at AS At, kind AS Kind, actor AS Actor, agent_id AS AgentId, dataset AS Dataset,
                   region AS Region, sequence AS Sequence, bytes AS Bytes, detail AS Detail
            FROM audit WHERE agent_id = @agentId AND kind IN @kinds ORDER BY id DESC LIMIT @limit
            """,
            new { agentId, kinds = ExtractAccess.Kinds, limit }).Select(ExtractAccess.From).ToList();
    }
}
