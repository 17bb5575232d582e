using Backflow.Agent.Loading;

namespace Backflow.Agent.Hosting;

/// <summary>Creates the configured load target; the one place to change when a target is added.</summary>
internal static class LoadTargets
{
    public static ILoadTarget Create(AgentOptions options, IServiceProvider services)
    {
        _ = services;

        // TODO(wt-agent-load): return new SqliteLoadTarget(options.ResolvedConnectionString, options.TableFor, …) once
        // that branch is merged; until then the sync loop is tested against an in-memory target.
        throw new InvalidOperationException(
            $"this build has no load target for '{options.ResolvedConnectionString}': the SQLite loader is not merged yet");
    }
}
