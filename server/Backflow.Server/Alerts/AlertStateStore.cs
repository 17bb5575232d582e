using System.Text.Json;
using Backflow.Server.Hosting;
using Backflow.Server.Metadata;
using Dapper;

namespace Backflow.Server.Alerts;

/// <summary>
/// Keeps the alert board's state in the metadata database (table <c>alert_state</c>): the active alerts with whether
/// the webhook has them, and the cleared ones whose "resolved" it does not have yet. Written whole after each
/// evaluation; there are as many rows as alerts, tens or hundreds.
/// </summary>
internal sealed class AlertStateStore(MetadataDatabase database)
{
    public sealed record State(Dictionary<string, (Alert Alert, bool Delivered)> Active, Dictionary<string, Alert> UndeliveredResolutions);

    public State Load()
    {
        var state = new State(new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        using var connection = database.Open();
        foreach (var row in connection.Query<(string Key, string Json, long Delivered, long Cleared)>(
            "SELECT alert_key, alert_json, delivered, cleared FROM alert_state"))
        {
            var alert = JsonSerializer.Deserialize<Alert>(row.Json, ServerJson.Options)!;
            if (row.Cleared == 1)
            {
                state.UndeliveredResolutions[row.Key] = alert;
            }
            else
            {
                state.Active[row.Key] = (alert, row.Delivered == 1);
            }
        }

        return state;
    }

    public void Save(IEnumerable<(Alert Alert, bool Delivered)> active, IEnumerable<Alert> undeliveredResolutions)
    {
        using var connection = database.Open();
        using var transaction = MetadataDatabase.BeginWrite(connection);
        connection.Execute("DELETE FROM alert_state", transaction: transaction);
        var rows = active.Select(a => new { key = a.Alert.Key, json = Json(a.Alert), delivered = a.Delivered ? 1 : 0, cleared = 0 })
            .Concat(undeliveredResolutions.Select(a => new { key = a.Key, json = Json(a), delivered = 0, cleared = 1 }));
        connection.Execute(
            "INSERT INTO alert_state (alert_key, alert_json, delivered, cleared) VALUES (@key, @json, @delivered, @cleared)", rows, transaction);
        transaction.Commit();
    }

    private static string Json(Alert alert) => JsonSerializer.Serialize(alert, ServerJson.Options);
}
