using Backflow.Agent.Enrollment;
using Backflow.Agent.Hosting;

namespace Backflow.Agent.Feeds;

/// <summary>Where the server is and how this agent authenticates, read from the state folder when first needed.</summary>
internal sealed class ServerEndpoint(StateFolder state, AgentOptions options)
{
    private AgentIdentity? _identity;

    public AgentIdentity Identity => _identity ??= state.ReadIdentity();

    /// <summary>The API root, <c>…/api/v1/</c>; configuration may override the URL stored at enrollment.</summary>
    public Uri ApiRoot => ApiRootOf(options.ServerUrl ?? Identity.ServerUrl);

    public string Token => Identity.Token;

    public static Uri ApiRootOf(Uri server)
    {
        var text = server.AbsoluteUri.TrimEnd('/');
        return new Uri(text.EndsWith("/api/v1", StringComparison.Ordinal) ? text + "/" : text + "/api/v1/");
    }

    /// <summary>Forgets the cached identity, e.g. after enrollment rewrote it.</summary>
    public void Reset() => _identity = null;
}
