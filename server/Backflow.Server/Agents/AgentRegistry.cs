using System.Security.Cryptography;
using Backflow.Protocol.Regions;
using Backflow.Server.Audit;
using Backflow.Server.Catalog;
using Backflow.Server.Hosting;
using Backflow.Server.Metadata;
using Backflow.Server.Security;
using Dapper;

namespace Backflow.Server.Agents;

/// <summary>Creates agents, trades enrollment codes for tokens, and manages grants and revocations.</summary>
internal sealed class AgentRegistry(MetadataDatabase database, CatalogService catalog, AuditLog audit, TimeProvider time)
{
    public static readonly TimeSpan EnrollmentLifetime = TimeSpan.FromHours(72);

    public NewAgent Add(string name, string regions, IReadOnlyList<string> datasets, string? approvedBy, string actor)
    {
        Validate(name, regions, datasets, approvedBy);
        var scope = ParseScope(regions);
        var definitions = datasets.Select(catalog.Get).ToArray();
        var now = time.GetUtcNow();
        var agentId = "agent-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var code = TokenCodec.NewEnrollmentCode();
        var expires = Timestamps.ToText(now + EnrollmentLifetime);
        using var connection = database.Open();
        using var transaction = MetadataDatabase.BeginWrite(connection);
        connection.Execute(
            """
            INSERT INTO agents (agent_id, name, regions, created_at, enrollment_code_hash, enrollment_expires_at)
            VALUES (@agentId, @name, @regions, @now, @codeHash, @expires)
            """,
            new { agentId, name, regions = scope.ToString(), now = Timestamps.ToText(now), codeHash = TokenCodec.Hash(TokenCodec.NormalizeCode(code)), expires },
            transaction);
        audit.Append(connection, transaction, AuditKinds.AgentCreated, actor, agentId, detail: $"name={name}; regions={scope}");
        foreach (var dataset in definitions)
        {
            InsertGrant(connection, transaction, agentId, dataset.Id, approvedBy, actor);
        }

        transaction.Commit();
        return new NewAgent(agentId, name, scope.ToString(), definitions.Select(d => d.Id).ToArray(), code, expires);
    }

    /// <summary>Trades a one-time enrollment code for the agent's bearer token. Returns null for an unknown,
    /// used or expired code (the caller answers 401 without saying which, to give guessers nothing).</summary>
    public (string AgentId, string Token)? Enroll(string code, string from)
    {
        var codeHash = TokenCodec.Hash(TokenCodec.NormalizeCode(code));
        var now = time.GetUtcNow();
        using var connection = database.Open();
        using var transaction = MetadataDatabase.BeginWrite(connection);
        var agent = connection.QuerySingleOrDefault<(string AgentId, string ExpiresAt)>(
            "SELECT agent_id, enrollment_expires_at FROM agents WHERE enrollment_code_hash = @codeHash AND revoked_at IS NULL",
            new { codeHash },
            transaction);
        if (agent.AgentId is null || Timestamps.Parse(agent.ExpiresAt) < now)
        {
            audit.Append(connection, transaction, AuditKinds.EnrollmentFailed, from, agent.AgentId,
                detail: agent.AgentId is null ? "unknown or used code" : "expired code");
            transaction.Commit();
            return null;
        }

        var token = TokenCodec.NewToken(TokenCodec.AgentPrefix);
        connection.Execute(
            """
            UPDATE agents SET token_hash = @tokenHash, enrolled_at = @now, enrollment_code_hash = NULL, enrollment_expires_at = NULL
            WHERE agent_id = @AgentId
            """,
            new { tokenHash = TokenCodec.Hash(token), now = Timestamps.ToText(now), agent.AgentId },
            transaction);
        audit.Append(connection, transaction, AuditKinds.Enrollment, from, agent.AgentId);
        transaction.Commit();
        return (agent.AgentId, token);
    }

    public IReadOnlyList<AgentRecord> List()
    {
        using var connection = database.Open();
        var grants = connection.Query<GrantRecord>(
            "SELECT agent_id AS AgentId, dataset AS Dataset, approved_by AS ApprovedBy, granted_at AS GrantedAt FROM grants ORDER BY dataset")
            .ToLookup(g => g.AgentId);
        return connection.Query<AgentRecord>(
            """
            SELECT agent_id AS AgentId, name AS Name, regions AS Regions, created_at AS CreatedAt, enrolled_at AS EnrolledAt,
                   enrollment_expires_at AS EnrollmentExpiresAt, revoked_at AS RevokedAt, last_seen_at AS LastSeenAt
            FROM agents ORDER BY created_at, agent_id
            """)
            .Select(a => a with { Grants = grants[a.AgentId].ToArray() })
            .ToList();
    }

    public AgentRecord Get(string agentId) =>
        List().FirstOrDefault(a => a.AgentId == agentId)
        ?? throw new UserError($"no agent '{agentId}'; `backflow-server agents list` shows the agents");

    public void Revoke(string agentId, string actor)
    {
        var agent = Get(agentId);
        if (agent.RevokedAt is not null)
        {
            throw new UserError($"agent '{agentId}' was already revoked at {agent.RevokedAt}");
        }

        using var connection = database.Open();
        using var transaction = MetadataDatabase.BeginWrite(connection);
        connection.Execute(
            "UPDATE agents SET revoked_at = @now, token_hash = NULL, enrollment_code_hash = NULL WHERE agent_id = @agentId",
            new { agentId, now = Timestamps.ToText(time.GetUtcNow()) },
            transaction);
        audit.Append(connection, transaction, AuditKinds.Revocation, actor, agentId);
        transaction.Commit();
    }

    public void Grant(string agentId, IReadOnlyList<string> datasets, string? approvedBy, string actor)
    {
        var agent = Get(agentId);
        if (agent.RevokedAt is not null)
        {
            throw new UserError($"agent '{agentId}' is revoked; create a new agent instead");
        }

        var definitions = datasets.Select(catalog.Get).ToArray();
        foreach (var dataset in definitions)
        {
            GrantPolicy.Check(dataset, approvedBy);
        }

        using var connection = database.Open();
        using var transaction = MetadataDatabase.BeginWrite(connection);
        foreach (var dataset in definitions)
        {
            InsertGrant(connection, transaction, agentId, dataset.Id, approvedBy, actor);
        }

        transaction.Commit();
    }

    public void Ungrant(string agentId, IReadOnlyList<string> datasets, string actor)
    {
        Get(agentId);
        using var connection = database.Open();
        using var transaction = MetadataDatabase.BeginWrite(connection);
        foreach (var dataset in datasets)
        {
            var removed = connection.Execute("DELETE FROM grants WHERE agent_id = @agentId AND dataset = @dataset", new { agentId, dataset }, transaction);
            if (removed == 0)
            {
                throw new UserError($"agent '{agentId}' has no grant for dataset '{dataset}'");
            }

            audit.Append(connection, transaction, AuditKinds.Ungrant, actor, agentId, dataset);
        }

        transaction.Commit();
    }

    private void InsertGrant(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction,
        string agentId, string dataset, string? approvedBy, string actor)
    {
        connection.Execute(
            """
            INSERT INTO grants (agent_id, dataset, approved_by, granted_at) VALUES (@agentId, @dataset, @approvedBy, @now)
            ON CONFLICT (agent_id, dataset) DO UPDATE SET approved_by = excluded.approved_by, granted_at = excluded.granted_at
            """,
            new { agentId, dataset, approvedBy, now = Timestamps.ToText(time.GetUtcNow()) },
            transaction);
        audit.Append(connection, transaction, AuditKinds.Grant, actor, agentId, dataset, detail: approvedBy is null ? null : $"approved by {approvedBy}");
    }

    /// <summary>Throws the <see cref="UserError"/> that <see cref="Add"/> would, without writing anything: a batch is
    /// checked whole before its first agent is created.</summary>
    /// <param name="fields">How the messages name the fields; command-line options unless given.</param>
    public void Validate(string name, string regions, IReadOnlyList<string> datasets, string? approvedBy, AgentFields? fields = null)
    {
        fields ??= AgentFields.Options;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new UserError($"{fields.Name} is empty; give the agent a name people recognise, e.g. \"西湖区大数据中心\"");
        }

        ParseScope(regions, fields);
        foreach (var dataset in datasets)
        {
            GrantPolicy.Check(catalog.Get(dataset), approvedBy, fields);
        }
    }

    private static RegionScope ParseScope(string regions, AgentFields? fields = null)
    {
        try
        {
            return RegionScope.Parse(regions);
        }
        catch (FormatException e)
        {
            throw new UserError($"{(fields ?? AgentFields.Options).Regions}: {e.Message}");
        }
    }
}
