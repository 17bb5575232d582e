using Backflow.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Backflow.Server.Alerts;

/// <summary>POSTs alert notifications as JSON. Retries live in the HttpClient's resilience pipeline (see AlertServices).</summary>
internal sealed class AlertWebhook(HttpClient http, IOptions<AlertOptions> options)
{
    public bool Configured => options.Value.WebhookUrl is not null;

    /// <summary>Sends one notification; throws when every attempt failed.</summary>
    public async Task SendAsync(string status, Alert alert, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var payload = new
        {
            status,
            alert.Key,
            alert.Kind,
            alert.AgentId,
            alert.AgentName,
            alert.Dataset,
            alert.Region,
            alert.Message,
            alert.Since,
            at,
        };
        using var response = await http.PostAsJsonAsync(options.Value.WebhookUrl, payload, ServerJson.Options, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
