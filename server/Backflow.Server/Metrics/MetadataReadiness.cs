using Backflow.Server.Metadata;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Backflow.Server.Metrics;

/// <summary>Ready when the metadata database answers a query: without it the server can serve nothing.</summary>
internal sealed class MetadataReadiness(MetadataDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = database.Open();
            await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM feeds", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            return HealthCheckResult.Unhealthy("metadata database: " + e.Message);
        }
    }
}
