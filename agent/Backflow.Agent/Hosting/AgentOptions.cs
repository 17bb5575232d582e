namespace Backflow.Agent.Hosting;

/// <summary>
/// The agent's configuration, bound from the <c>Backflow</c> section of <c>appsettings.json</c> beside the executable
/// and from <c>BACKFLOW__…</c> environment variables. The state folder comes from <c>--state</c>.
/// </summary>
internal sealed class AgentOptions
{
    public const string SectionName = "Backflow";

    /// <summary>The state folder (token, keys, catalog, staging, quarantine, default database).</summary>
    public string StateDirectory { get; set; } = "./backflow-agent";

    /// <summary>Overrides the server URL stored at enrollment, e.g. when the centre moves behind a new gateway.</summary>
    public Uri? ServerUrl { get; set; }

    /// <summary>HTTP proxy URL; empty means the system default, <c>direct</c> means no proxy at all.</summary>
    public string? Proxy { get; set; }

    /// <summary>A PEM file with an extra CA (e.g. the extranet's own CA) that the server's certificate may chain to.</summary>
    public string? TrustedCaFile { get; set; }

    /// <summary>The target database; default is the SQLite file <c>&lt;state&gt;/backflow.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Which database <see cref="ConnectionString"/> points at: <c>Sqlite</c> (default) or <c>PostgreSQL</c>.</summary>
    public string Database { get; set; } = LoadTargets.Sqlite;

    /// <summary>PostgreSQL only: the existing schema that holds the data and state tables.</summary>
    public string PostgresSchema { get; set; } = Loading.Postgres.PostgresLoadTarget.DefaultSchema;

    /// <summary>Where downloads are staged; default <c>&lt;state&gt;/staging</c>.</summary>
    public string? StagingFolder { get; set; }

    /// <summary>Quartz cron per dataset id; datasets not listed use <see cref="DefaultSchedule"/>.</summary>
    public Dictionary<string, string> Schedules { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every ten minutes; the per-agent offset moves the seconds and minute within the window.</summary>
    public string DefaultSchedule { get; set; } = "0 0/10 * * * ?";

    /// <summary>
    /// When the service verifies every held feed (as <c>backflow-agent verify</c>): weekly, Sunday 03:30, off-hours
    /// because it scans every table. The seconds field is shifted by the per-agent offset like the sync schedule.
    /// </summary>
    public string VerifySchedule { get; set; } = "0 30 3 ? * SUN";

    /// <summary>Local table name per dataset id, when the default (id with '_' for '-') does not suit.</summary>
    public Dictionary<string, string> Tables { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How often a broken download is resumed before the sync gives up for this run.</summary>
    public int DownloadAttempts { get; set; } = 5;

    /// <summary>First delay of the HTTP retry backoff; tests shorten it.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>HTTP retries per request for transient failures (5xx, 408, 429, timeouts, broken connections).</summary>
    public int RetryAttempts { get; set; } = 4;

    /// <summary>
    /// Download extracts straight from the server's storage (Azure Blob, with short-lived read-only URLs) when the server
    /// offers that. Turn off (<c>BACKFLOW__DIRECTDOWNLOADS=false</c>) where the county can reach only the server.
    /// </summary>
    public bool DirectDownloads { get; set; } = true;

    /// <summary>How often one download asks the feed for a fresh storage URL after storage refused (403) or it expired.</summary>
    public int DirectLinkRenewals { get; set; } = 3;

    public string ResolvedStagingFolder => StagingFolder ?? Path.Combine(StateDirectory, "staging");

    public string ScheduleFor(string dataset) =>
        Schedules.TryGetValue(dataset, out var cron) ? cron : DefaultSchedule;
}
