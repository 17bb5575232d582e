using System.Net.Sockets;
using Backflow.Agent.Hosting;
using Npgsql;

namespace Backflow.Agent.Loading.Postgres;

/// <summary>
/// Builds the agent's <see cref="NpgsqlDataSource"/> and turns "cannot reach the database" into a message a county IT
/// person can act on (which host, port and database, and what to check).
/// </summary>
internal static class PostgresConnections
{
    static PostgresConnections()
    {
        // By default Npgsql stores DateTime/DateOnly.MinValue as -infinity. 0001-01-01 is a legitimate Backflow date
        // and timestamp, and a county user's SQL must see it as that date, not as infinity; the switch is read once per
        // process, before Npgsql's first use, which is why every Npgsql use in the agent goes through this class.
        AppContext.SetSwitch("Npgsql.DisableDateTimeInfinityConversions", true);
    }

    /// <summary>A pooled data source for <paramref name="connectionString"/>.</summary>
    /// <exception cref="AgentConfigurationException">The connection string does not parse.</exception>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(Parse(connectionString).ConnectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            // Shows in pg_stat_activity, so a DBA can tell the agent's sessions from the county's own.
            builder.ConnectionStringBuilder.ApplicationName = "backflow-agent";
        }

        // Npgsql redacts a server error's detail by default; for a duplicate key the detail is the key, which is
        // exactly what the operator's error message must name.
        builder.ConnectionStringBuilder.IncludeErrorDetail = true;
        return builder.Build();
    }

    /// <summary>Parses a connection string, naming the setting when it is wrong.</summary>
    /// <exception cref="AgentConfigurationException">It does not parse.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new AgentConfigurationException($"Backflow:ConnectionString is not a valid PostgreSQL connection string ({e.Message}); use the form Host=db.example;Port=5432;Database=backflow;Username=backflow_agent;Password=…");
        }
    }

    /// <summary>Opens a connection; a failure to reach or log in to the server becomes an <see cref="AgentConfigurationException"/>.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(ct);
        }
        catch (NpgsqlException e) when (IsConnectionProblem(e))
        {
            var c = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            throw new AgentConfigurationException(
                $"cannot connect to PostgreSQL at host '{c.Host}', port {c.Port}, database '{c.Database}' as user '{c.Username}': {e.Message}. "
                + "Check Backflow:ConnectionString (BACKFLOW__CONNECTIONSTRING), that the server is running and reachable from this machine "
                + "(listen_addresses, firewall, pg_hba.conf), that the database exists and that the user's password is right.");
        }
    }

    /// <summary>
    /// Takes a transaction-scoped advisory lock on a name. Names hash to 64 bits; a collision only makes two unrelated
    /// applies wait for each other, never lets two holders of one name run together.
    /// </summary>
    /// <param name="shared">Take it shared: shared holders run together and exclude only an exclusive holder.</param>
    public static async Task LockAsync(NpgsqlConnection connection, string name, CancellationToken ct, bool shared = false)
    {
        var function = shared ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock";
        await using var command = new NpgsqlCommand($"SELECT {function}(hashtextextended($1, 0))", connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue(name);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static bool IsConnectionProblem(NpgsqlException e) =>
        e is PostgresException pg
            ? pg.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification
                or PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
            : e.InnerException is SocketException or IOException or TimeoutException || e.IsTransient;
}
