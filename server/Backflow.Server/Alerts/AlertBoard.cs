using Backflow.Server.Status;
using Microsoft.Extensions.Options;

namespace Backflow.Server.Alerts;

/// <summary>
/// Evaluates the rules and remembers which alerts are active and which have been delivered, so that each alert is
/// sent once while it lasts and once more ("resolved") when it clears. An undelivered notification is tried again
/// at the next evaluation. The memory is per process: after a restart active alerts are sent again, once.
/// </summary>
internal sealed partial class AlertBoard(StatusService status, AlertWebhook webhook, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertBoard> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (Alert Alert, bool Delivered)> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Alert> _undeliveredResolutions = new(StringComparer.Ordinal);

    /// <summary>Active alerts, oldest condition first, for the dashboard.</summary>
    public IReadOnlyList<Alert> Active
    {
        get
        {
            lock (_active)
            {
                return _active.Values.Select(a => a.Alert).OrderBy(a => a.Since).ThenBy(a => a.Key, StringComparer.Ordinal).ToList();
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
            lock (_active)
            {
                cleared = _active.Values.Select(a => a.Alert).Where(a => !current.ContainsKey(a.Key)).ToList();
                foreach (var alert in cleared)
                {
                    var wasDelivered = _active[alert.Key].Delivered;
                    _active.Remove(alert.Key);
                    if (wasDelivered)
                    {
                        _undeliveredResolutions[alert.Key] = alert;
                    }

                    LogCleared(logger, alert.Kind, alert.Message);
                }

                foreach (var alert in current.Values.Where(a => !_active.ContainsKey(a.Key)))
                {
                    _active[alert.Key] = (alert, false);
                    _undeliveredResolutions.Remove(alert.Key);
                    LogRaised(logger, alert.Kind, alert.Message);
                }
            }

            if (!webhook.Configured)
            {
                return;
            }

            foreach (var alert in _undeliveredResolutions.Values.ToList())
            {
                if (await TrySendAsync("resolved", alert, now, cancellationToken))
                {
                    _undeliveredResolutions.Remove(alert.Key);
                }
            }

            foreach (var (key, entry) in Snapshot().Where(e => !e.Value.Delivered))
            {
                if (await TrySendAsync("firing", entry.Alert, now, cancellationToken))
                {
                    lock (_active)
                    {
                        if (_active.ContainsKey(key))
                        {
                            _active[key] = (entry.Alert, true);
                        }
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private List<KeyValuePair<string, (Alert Alert, bool Delivered)>> Snapshot()
    {
        lock (_active)
        {
            return _active.ToList();
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
