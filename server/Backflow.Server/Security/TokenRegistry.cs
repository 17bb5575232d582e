using System.Collections.Concurrent;
using System.Security.Cryptography;
using Backflow.Server.Audit;
using Backflow.Server.Catalog;
using Backflow.Server.Feeds;
using Backflow.Server.Hosting;
using Backflow.Server.Metadata;
using Dapper;

namespace Backflow.Server.Security;

/// <summary>Publisher and operator tokens, and the resolution of any bearer token to its <see cref="Caller"/>.</summary>
internal sealed class TokenRegistry(MetadataDatabase database, SecurityGeneration generation, LastSeenWriter lastSeen, CatalogService catalog, AuditLog audit, TimeProvider time,
    ILogger<TokenRegistry> logger)
{
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    /// <summary>When this process last recorded each agent as seen; one entry per agent of the fleet.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _touched = new(StringComparer.Ordinal);

    private const string SelectRecord =
        "SELECT token_id AS TokenId, role AS Role, datasets AS Datasets, created_at AS CreatedAt, revoked_at AS RevokedAt FROM tokens";

    private readonly CallerCache _cache = new();

    public (string TokenId, string Token) Add(string role, IReadOnlyList<string>? datasets, string actor)
    {
        var prefix = role switch
        {
            "publisher" => TokenCodec.PublisherPrefix,
            "operator" => TokenCodec.OperatorPrefix,
            _ => throw new UserError($"--role '{role}' is not a role; use publisher or operator (agents get their tokens by enrolling)"),
        };
        if (role == "operator" && datasets is { Count: > 0 })
        {
            throw new UserError("--datasets applies to publisher tokens only; operator tokens see the whole fleet");
        }

        foreach (var dataset in datasets ?? [])
        {
            catalog.Get(dataset);
        }

        var tokenId = role + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var token = TokenCodec.NewToken(prefix);
        using var connection = database.Open();
        using var transaction = MetadataDatabase.BeginWrite(connection);
        var list = datasets is { Count: > 0 } ? string.Join(',', datasets) : null;
        connection.Execute(
            "INSERT INTO tokens (token_id, role, datasets, token_hash, created_at) VALUES (@tokenId, @role, @list, @hash, @now)",
            new { tokenId, role, list, hash = TokenCodec.Hash(token), now = Timestamps.ToText(time.GetUtcNow()) },
            transaction);
        audit.Append(connection, transaction, AuditKinds.TokenCreated, actor, detail: $"{tokenId} role={role} datasets={list ?? "*"}");
        transaction.Commit();
        return (tokenId, token);
    }

    /// <summary>Publisher and operator tokens, oldest first; revoked ones only when <paramref name="includeRevoked"/>.</summary>
    public IReadOnlyList<TokenRecord> List(bool includeRevoked)
    {
        using var connection = database.Open();
        return connection.Query<TokenRow>(
            $"{SelectRecord} WHERE @includeRevoked OR revoked_at IS NULL ORDER BY created_at, token_id", new { includeRevoked })
            .Select(t => t.ToRecord())
            .ToList();
    }

    /// <summary>Revokes a token. The UPDATE bumps the security generation (a trigger), so the server refuses the token
    /// at its very next request, even one it has cached.</summary>
    public TokenRecord Revoke(string tokenId, string actor)
    {
        using var connection = database.Open();

        // Read inside the write transaction: two operators revoking at once must not both record a revocation.
        using var transaction = MetadataDatabase.BeginWrite(connection);
        var row = connection.QuerySingleOrDefault<TokenRow>($"{SelectRecord} WHERE token_id = @tokenId", new { tokenId }, transaction);
        if (row is null)
        {
            throw new UserError($"no token '{tokenId}'; `backflow-server tokens list --all` shows the tokens (agents' tokens are revoked with `agents revoke`)");
        }

        if (row.RevokedAt is not null)
        {
            throw new UserError($"token '{tokenId}' was already revoked at {row.RevokedAt}");
        }

        var now = Timestamps.ToText(time.GetUtcNow());
        connection.Execute("UPDATE tokens SET revoked_at = @now WHERE token_id = @tokenId", new { tokenId, now }, transaction);
        audit.Append(connection, transaction, AuditKinds.TokenRevoked, actor, detail: $"{tokenId} role={row.Role}");
        transaction.Commit();
        return (row with { RevokedAt = now }).ToRecord();
    }

    /// <summary>Finds the caller a bearer token belongs to; null for unknown or revoked tokens.
    /// Only the token's SHA-256 is compared: the database never holds a usable token.</summary>
    /// <remarks>Served from <see cref="CallerCache"/> while the security generation is unchanged (see there why that is
    /// exact, not eventually consistent).</remarks>
    public Caller? Resolve(string token)
    {
        var hash = TokenCodec.Hash(token);
        var current = generation.Current();
        if (_cache.Find(hash, current) is { } cached)
        {
            return cached;
        }

        var caller = Lookup(token, hash);
        if (caller is not null)
        {
            _cache.Add(hash, current, caller);
        }

        return caller;
    }

    private Caller? Lookup(string token, string hash)
    {
        using var connection = database.Open();
        if (token.StartsWith(TokenCodec.AgentPrefix, StringComparison.Ordinal))
        {
            var agent = connection.QuerySingleOrDefault<(string AgentId, string Name, string Regions)>(
                "SELECT agent_id, name, regions FROM agents WHERE token_hash = @hash AND revoked_at IS NULL", new { hash });
            if (agent.AgentId is null)
            {
                return null;
            }

            if (StoredRegions.ScopeOf(agent.Regions) is not { } scope)
            {
                // Created before region codes needed a real province: it never had a region that any feed could be in.
                logger.LogWarning(
                    "agent {AgentId} ({Name}) was refused: its regions '{Regions}' hold no valid GB/T 2260 code. Revoke it (backflow-server agents revoke {AgentId}) and add the county again with its real code",
                    agent.AgentId, agent.Name, agent.Regions, agent.AgentId);
                return null;
            }

            var datasets = connection.Query<string>("SELECT dataset FROM grants WHERE agent_id = @AgentId", new { agent.AgentId }).ToHashSet(StringComparer.Ordinal);
            return new AgentCaller(agent.AgentId, agent.Name, scope, datasets);
        }

        var row = connection.QuerySingleOrDefault<(string TokenId, string Role, string? Datasets)>(
            "SELECT token_id, role, datasets FROM tokens WHERE token_hash = @hash AND revoked_at IS NULL", new { hash });
        return row.Role switch
        {
            "publisher" => new PublisherCaller(row.TokenId, row.Datasets?.Split(',').ToHashSet(StringComparer.Ordinal)),
            "operator" => new OperatorCaller(row.TokenId),
            _ => null,
        };
    }

    /// <summary>Records that an agent was seen, at most once a minute per agent to keep polls cheap.</summary>
    public void TouchAgent(string agentId)
    {
        var now = time.GetUtcNow();

        // Checked in memory first: the UPDATE takes SQLite's write lock even when it changes nothing, and thousands of
        // agents polling would queue on that lock (benchmark: ~440 polls/s with it on every request); the write itself
        // happens off the request path (LastSeenWriter).
        if (_touched.TryGetValue(agentId, out var last) && now - last < TouchInterval)
        {
            return;
        }

        _touched[agentId] = now;
        lastSeen.Enqueue(agentId, now);
    }

    /// <summary>A row of the tokens table without its hash; datasets still as stored (comma-separated).</summary>
    private sealed record TokenRow(string TokenId, string Role, string? Datasets, string CreatedAt, string? RevokedAt)
    {
        public TokenRecord ToRecord() => new(TokenId, Role, Datasets?.Split(','), CreatedAt, RevokedAt);
    }
}
