using Backflow.Agent.Feeds;
using Backflow.Protocol.Manifests;

namespace Backflow.Agent.Enrollment;

/// <summary>
/// Trades a one-time enrollment code for the agent's token and the server's signing keys, learns the agent's
/// region scope, and pins all three in the state folder.
/// </summary>
internal sealed class EnrollmentService(FeedClient client, StateFolder state, ServerEndpoint endpoint, TimeProvider time)
{
    public async Task<(AgentIdentity Identity, IReadOnlyList<TrustedKey> Keys)> EnrollAsync(Uri server, string code, CancellationToken ct)
    {
        EnrollResponse response;
        try
        {
            response = await client.EnrollAsync(server, code, ct);
        }
        catch (ServerProblemException e) when (e.ProblemType == ServerProblemException.EnrollmentFailed)
        {
            // The server's detail is written for its operator; county IT needs one sentence and whom to call.
            throw new ServerProblemException(
                e.Status,
                e.ProblemType,
                e.Detail,
                $"enroll: the server refused the enrollment code (HTTP {e.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}): it is unknown, already used or expired; ask the provincial operator for a new one.");
        }

        var keys = new List<TrustedKey>(response.Keys.Count);
        foreach (var key in response.Keys)
        {
            var trusted = TrustedKey.FromPem(key.PublicKeyPem);

            // The listed id must be the key's own hash, or the fingerprint shown to the operator would lie.
            if (!string.Equals(trusted.KeyId, key.KeyId, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"the server sent key id {key.KeyId} for a key whose id is {trusted.KeyId}; enrollment stopped");
            }

            keys.Add(trusted);
        }

        if (keys.Count == 0)
        {
            throw new InvalidDataException("the server sent no signing keys; enrollment stopped");
        }

        var feeds = await client.GetFeedsAsync(server, response.Token, ct);
        var identity = new AgentIdentity(server, response.AgentId, feeds.Regions, response.Token, time.GetUtcNow());
        state.EnsureCreated();
        state.WriteTrustedKeys(keys);
        state.WriteIdentity(identity);
        endpoint.Reset();
        return (identity, keys);
    }
}
