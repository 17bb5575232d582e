using Backflow.Agent.Loading;
using Backflow.Agent.Loading.Sqlite;

namespace Backflow.Agent.Hosting;

/// <summary>Creates the configured load target; the one place to change when a target (PostgreSQL) is added.</summary>
internal static class LoadTargets
{
    public static ILoadTarget Create(AgentOptions options, IServiceProvider services)
    {
        var time = (TimeProvider?)services.GetService(typeof(TimeProvider)) ?? TimeProvider.System;
        Directory.CreateDirectory(options.StateDirectory);
        return new SqliteLoadTarget(
            options.ConnectionString ?? SqliteLoadTarget.ConnectionStringFor(options.StateDirectory),
            time,
            new SqliteTableNames(options.Tables));
    }
}
