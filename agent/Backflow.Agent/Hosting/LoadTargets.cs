using Backflow.Agent.Loading;
using Backflow.Agent.Loading.Postgres;
using Backflow.Agent.Loading.Sqlite;

namespace Backflow.Agent.Hosting;

/// <summary>Creates the configured load target; the one place to change when a target is added.</summary>
internal static class LoadTargets
{
    /// <summary>The default: a SQLite file in the state folder (or <c>Backflow:ConnectionString</c>).</summary>
    public const string Sqlite = "Sqlite";

    /// <summary>A PostgreSQL database given by <c>Backflow:ConnectionString</c>.</summary>
    public const string PostgreSql = "PostgreSQL";

    /// <summary>The values <c>Backflow:Database</c> accepts (case-insensitive).</summary>
    public static IReadOnlyList<string> Names { get; } = [Sqlite, PostgreSql];

    public static bool IsKnown(string? database) => Names.Contains(database ?? string.Empty, StringComparer.OrdinalIgnoreCase);

    public static bool IsPostgres(string? database) => string.Equals(database, PostgreSql, StringComparison.OrdinalIgnoreCase);

    public static ILoadTarget Create(AgentOptions options, IServiceProvider services)
    {
        var time = (TimeProvider?)services.GetService(typeof(TimeProvider)) ?? TimeProvider.System;
        var tables = new TableNames(options.Tables);
        if (IsPostgres(options.Database))
        {
            // AgentOptionsValidator has checked that the connection string is there; the state folder still holds the
            // token, keys and staging, only the data moves.
            return new PostgresLoadTarget(options.ConnectionString!, time, tables, options.PostgresSchema);
        }

        Directory.CreateDirectory(options.StateDirectory);
        return new SqliteLoadTarget(
            options.ConnectionString ?? SqliteLoadTarget.ConnectionStringFor(options.StateDirectory),
            time,
            tables);
    }
}
