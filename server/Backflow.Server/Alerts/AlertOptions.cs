namespace Backflow.Server.Alerts;

/// <summary>Alert settings, section <c>Backflow:Alerts</c> (e.g. <c>BACKFLOW__ALERTS__WEBHOOKURL</c>).</summary>
internal sealed class AlertOptions
{
    public const string Section = "Backflow:Alerts";

    /// <summary>Where alerts are POSTed as JSON; none means log and dashboard only.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>An enrolled agent that has not called the server for this long raises agent-silent.</summary>
    public TimeSpan AgentSilentAfter { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often the rules are evaluated.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Webhook delivery retries per evaluation (an undelivered alert is tried again at the next one).</summary>
    public int WebhookRetries { get; set; } = 3;

    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
