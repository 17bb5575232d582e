using Backflow.Server.Audit;
using Backflow.Server.Metadata;
using Backflow.Server.Status;
using Dapper;
using Prometheus;

namespace Backflow.Server.Metrics;

/// <summary>
/// The server's Prometheus metrics. Totals are read from the metadata database at scrape time rather than counted
/// in memory: a publish from the CLI or another server instance counts too, and a restart loses nothing.
/// Each host has its own registry, so hosts in one process (tests, the demo) never mix their series.
/// </summary>
internal sealed class BackflowMetrics
{
    private static readonly string[] FeedLabels = ["agent", "dataset", "region"];

    private readonly MetadataDatabase _database;
    private readonly StatusService _status;
    private readonly Counter _publishes;
    private readonly Counter _rows;
    private readonly Counter _extractsServed;
    private readonly Counter _bytesServed;
    private readonly Counter _verificationFailures;
    private readonly Gauge _lagExtracts;
    private readonly Gauge _lagSeconds;
    private readonly Gauge _feeds;
    private readonly Gauge _agents;
    private readonly Gauge _agentsSeen;

    public BackflowMetrics(MetadataDatabase database, StatusService status)
    {
        _database = database;
        _status = status;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _publishes = Factory.CreateCounter("backflow_publishes_total", "Publishes committed");
        _rows = Factory.CreateCounter("backflow_published_rows_total", "Rows published (upserts and deletes) in extracts still held");
        _extractsServed = Factory.CreateCounter("backflow_extracts_served_total", "Extract downloads served to agents");
        _bytesServed = Factory.CreateCounter("backflow_served_bytes_total", "Extract bytes served to agents");
        _verificationFailures = Factory.CreateCounter("backflow_verification_failures_total",
            "Agent runs reporting a verification failure: blocked (an extract failed verification repeatedly) or diverged (local checksum differs)",
            ["outcome"]);
        _lagExtracts = Factory.CreateGauge("backflow_feed_lag_extracts", "Extracts published but not yet applied, per agent feed", FeedLabels);
        _lagSeconds = Factory.CreateGauge("backflow_feed_lag_seconds", "Seconds since the oldest unapplied extract of the feed was published (0 when current)", FeedLabels);
        _feeds = Factory.CreateGauge("backflow_feeds", "Agent feeds by state", ["state"]);
        _agents = Factory.CreateGauge("backflow_agents", "Agents not revoked");
        _agentsSeen = Factory.CreateGauge("backflow_agents_seen", "Agents that called the server within the last day");
        Registry.AddBeforeCollectCallback(Refresh);
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }

    private void Refresh()
    {
        using (var connection = _database.Open())
        {
            _publishes.IncTo(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM publishes"));
            _rows.IncTo(connection.ExecuteScalar<long>("SELECT COALESCE(SUM(upserts + deletes), 0) FROM manifests"));
            var served = connection.QuerySingle<(long Count, long Bytes)>(
                "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM audit WHERE kind = @Download", new { AuditKinds.Download });
            _extractsServed.IncTo(served.Count);
            _bytesServed.IncTo(served.Bytes);
            foreach (var outcome in new[] { "blocked", "diverged" })
            {
                _verificationFailures.WithLabels(outcome).IncTo(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM runs WHERE outcome = @outcome", new { outcome }));
            }
        }

        var status = _status.Compute();
        var live = new HashSet<(string, string, string)>();
        foreach (var feed in status.Feeds)
        {
            live.Add((feed.AgentId, feed.Dataset, feed.Region));
            _lagExtracts.WithLabels(feed.AgentId, feed.Dataset, feed.Region).Set(feed.LagExtracts);
            _lagSeconds.WithLabels(feed.AgentId, feed.Dataset, feed.Region).Set(feed.LagSeconds);
        }

        // Feeds of revoked agents or removed grants must disappear, not freeze at their last value.
        foreach (var gauge in new[] { _lagExtracts, _lagSeconds })
        {
            foreach (var labels in gauge.GetAllLabelValues().ToList())
            {
                if (!live.Contains((labels[0], labels[1], labels[2])))
                {
                    gauge.RemoveLabelled(labels);
                }
            }
        }

        foreach (var state in FeedStates.BySeverity)
        {
            _feeds.WithLabels(state).Set(status.Feeds.Count(f => f.State == state));
        }

        _agents.Set(status.Totals.Agents);
        _agentsSeen.Set(status.Totals.AgentsSeen);
    }
}
