using Backflow.Server.Status;
using Microsoft.Extensions.Options;

namespace Backflow.Server.Alerts;

/// <summary>
/// Evaluates the rules and remembers which alerts are active and which have been delivered, so that each alert is
/// sent once while it lasts and once more ("resolved") when it clears. An undelivered notification is tried again
/// at the next evaluation. The memory survives restarts (<see cref="AlertStateStore"/>): an alert already delivered is
/// not sent again, and a "resolved" still owed is sent even if the condition cleared while the server was down.
/// </summary>
internal sealed partial class AlertBoard(
    StatusService status, AlertWebhook webhook, AlertStateStore store, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertBoard> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    // PublicationOnly: a failed load (say, the database briefly unreadable) is tried again instead of cached for good.
    private readonly Lazy<AlertStateStore.State> _state = new(store.Load, LazyThreadSafetyMode.PublicationOnly);

    private Dictionary<string, (Alert Alert, bool Delivered)> ActiveEntries => _state.Value.Active;

    private Dictionary<string, Alert> OwedResolutions => _state.Value.UndeliveredResolutions;

    /// <summary>Active alerts, oldest condition first, for the dashboard.</summary>
    public IReadOnlyList<Alert> Active
    {
        get
        {
            lock (ActiveEntries)
            {
                return ActiveEntries.Values.Select(a => a.Alert).OrderBy(a => a.Since).ThenBy(a => a.Key, StringComparer.Ordinal).ToList();
            }
        }
    }

    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        // One evaluation at a time: the scheduled job and a manual run must not both send the same alert.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var current = AlertRules.Evaluate(status.Compute(), options.Value).ToDictionary(a => a.Key, StringComparer.Ordinal);
            List<Alert> cleared;
            lock (ActiveEntries)
            {
                cleared = ActiveEntries.Values.Select(a => a.Alert).Where(a => !current.ContainsKey(a.Key)).ToList();
                foreach (var alert in cleared)
                {
                    var wasDelivered = ActiveEntries[alert.Key].Delivered;
                    ActiveEntries.Remove(alert.Key);
                    if (wasDelivered)
                    {
                        OwedResolutions[alert.Key] = alert;
                    }

                    LogCleared(logger, alert.Kind, alert.Message);
                }

                foreach (var alert in current.Values.Where(a => !ActiveEntries.ContainsKey(a.Key)))
                {
                    ActiveEntries[alert.Key] = (alert, false);
                    OwedResolutions.Remove(alert.Key);
                    LogRaised(logger, alert.Kind, alert.Message);
                }
            }

            if (!webhook.Configured)
            {
                return;
            }

            foreach (var alert in OwedResolutions.Values.ToList())
            {
                if (await TrySendAsync("resolved", alert, now, cancellationToken))
                {
                    OwedResolutions.Remove(alert.Key);
                }
            }

            foreach (var (key, entry) in Snapshot().Where(e => !e.Value.Delivered))
            {
                if (await TrySendAsync("firing", entry.Alert, now, cancellationToken))
                {
                    lock (ActiveEntries)
                    {
                        if (ActiveEntries.ContainsKey(key))
                        {
                            ActiveEntries[key] = (entry.Alert, true);
                        }
                    }
                }
            }
        }
        finally
        {
            try
            {
                store.Save(Snapshot().Select(e => e.Value), OwedResolutions.Values);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private List<KeyValuePair<string, (Alert Alert, bool Delivered)>> Snapshot()
    {
        lock (ActiveEntries)
        {
            return ActiveEntries.ToList();
        }
    }

    private async Task<bool> TrySendAsync(string state, Alert alert, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await webhook.SendAsync(state, alert, now, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            LogUndelivered(logger, e, alert.Key, state);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ALERT {Kind}: {Message}")]
    private static partial void LogRaised(ILogger logger, string kind, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "alert cleared {Kind}: {Message}")]
    private static partial void LogCleared(ILogger logger, string kind, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "alert {Key} ({State}) could not be delivered to the webhook; trying again at the next evaluation")]
    private static partial void LogUndelivered(ILogger logger, Exception exception, string key, string state);
}
