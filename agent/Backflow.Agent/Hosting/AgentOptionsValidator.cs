using Backflow.Agent.Scheduling;

namespace Backflow.Agent.Hosting;

/// <summary>Checks the configuration at start, so a typo stops the service with a clear message instead of at 3 a.m.</summary>
internal static class AgentOptionsValidator
{
    public static void Validate(AgentOptions options)
    {
        if (options.ServerUrl is { } server && (!server.IsAbsoluteUri || server.Scheme is not ("http" or "https")))
        {
            throw new AgentConfigurationException($"Backflow:ServerUrl '{server}' must be an absolute http(s) URL, e.g. https://backflow.zj.gov.cn");
        }

        if (!string.IsNullOrWhiteSpace(options.Proxy) && !string.Equals(options.Proxy, "direct", StringComparison.OrdinalIgnoreCase)
            && !Uri.TryCreate(options.Proxy, UriKind.Absolute, out _))
        {
            throw new AgentConfigurationException($"Backflow:Proxy '{options.Proxy}' must be a URL such as http://10.1.2.3:8080, or 'direct' for no proxy");
        }

        if (!string.IsNullOrWhiteSpace(options.TrustedCaFile) && !File.Exists(options.TrustedCaFile))
        {
            throw new AgentConfigurationException($"Backflow:TrustedCaFile '{options.TrustedCaFile}' does not exist; give the full path of a PEM certificate file");
        }

        foreach (var (dataset, cron) in options.Schedules)
        {
            try
            {
                CronOffset.Apply(cron, 0);
            }
            catch (FormatException e)
            {
                throw new AgentConfigurationException($"Backflow:Schedules:{dataset}: {e.Message}");
            }
        }

        try
        {
            CronOffset.Apply(options.DefaultSchedule, 0);
        }
        catch (FormatException e)
        {
            throw new AgentConfigurationException($"Backflow:DefaultSchedule: {e.Message}");
        }

        try
        {
            _ = new Loading.TableNames(options.Tables);
        }
        catch (ArgumentException e)
        {
            throw new AgentConfigurationException($"Backflow:Tables: {e.Message}");
        }

        try
        {
            CronOffset.Apply(options.VerifySchedule, 0);
        }
        catch (FormatException e)
        {
            throw new AgentConfigurationException($"Backflow:VerifySchedule: {e.Message}");
        }

        ValidateDatabase(options);

        if (options.DownloadAttempts < 1 || options.RetryAttempts is < 0 or > 20)
        {
            throw new AgentConfigurationException("Backflow:DownloadAttempts must be at least 1 and Backflow:RetryAttempts between 0 and 20");
        }
    }

    private static void ValidateDatabase(AgentOptions options)
    {
        if (!LoadTargets.IsKnown(options.Database))
        {
            throw new AgentConfigurationException($"Backflow:Database '{options.Database}' is not a supported database; use one of: {string.Join(", ", LoadTargets.Names)}");
        }

        if (!LoadTargets.IsPostgres(options.Database))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new AgentConfigurationException("Backflow:Database is PostgreSQL but Backflow:ConnectionString is empty; set it (or BACKFLOW__CONNECTIONSTRING), e.g. Host=db.county.example;Port=5432;Database=backflow;Username=backflow_agent;Password=…");
        }

        Loading.Postgres.PostgresConnections.Parse(options.ConnectionString);
        if (!Loading.SqlIdentifiers.IsValid(options.PostgresSchema))
        {
            throw new AgentConfigurationException($"Backflow:PostgresSchema '{options.PostgresSchema}' is not a valid schema name; use 1 to 63 ASCII letters, digits or underscores, not starting with a digit (default: public)");
        }
    }
}
