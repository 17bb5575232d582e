using System.Globalization;
using Backflow.Server.Status;

namespace Backflow.Server.Alerts;

/// <summary>The alert rules, evaluated over a fleet status.</summary>
internal static class AlertRules
{
    public static IReadOnlyList<Alert> Evaluate(FleetStatus status, AlertOptions options)
    {
        var alerts = new List<Alert>();
        foreach (var agent in status.Agents)
        {
            // Never seen means not enrolled yet (or not started): the dashboard shows it, but it is nobody's emergency.
            if (agent.LastSeenAt is { } seen && status.GeneratedAt - seen > options.AgentSilentAfter)
            {
                alerts.Add(new Alert($"{AlertKinds.AgentSilent}/{agent.AgentId}", AlertKinds.AgentSilent, agent.AgentId, agent.Name, null, null,
                    $"{agent.Name} ({agent.AgentId}) has not called the server for {DurationText.Of(status.GeneratedAt - seen)}", seen));
            }
        }

        foreach (var f in status.Feeds)
        {
            var where = $"{f.AgentName} ({f.AgentId}) {f.Dataset}/{f.Region}";
            if (f.State == FeedStates.Late)
            {
                alerts.Add(Feed(AlertKinds.FeedLate, f, string.Create(CultureInfo.InvariantCulture,
                    $"{where} is {f.LagExtracts} extract(s) and {DurationText.OfSeconds(f.LagSeconds)} behind a {f.UpdateCycle} dataset (applied {f.AppliedSequence?.ToString(CultureInfo.InvariantCulture) ?? "none"}, latest {f.LatestSequence}){Reason(f)}"),
                    f.LagSince));
            }

            if (f.State == FeedStates.Blocked)
            {
                alerts.Add(Feed(AlertKinds.FeedBlocked, f, $"{where} is blocked{Reason(f)}", f.LastRunAt));
            }

            if (f.LastVerification == "diverged")
            {
                alerts.Add(Feed(AlertKinds.VerificationFailed, f, $"{where}: the local copy's checksum differs from the server's", f.LastVerifiedAt));
            }
        }

        return alerts;
    }

    private static Alert Feed(string kind, FeedStatus f, string message, DateTimeOffset? since) =>
        new($"{kind}/{f.AgentId}/{f.Dataset}/{f.Region}", kind, f.AgentId, f.AgentName, f.Dataset, f.Region, message, since);

    private static string Reason(FeedStatus f) => f.LastError is { } error ? "; last error: " + error : string.Empty;
}
