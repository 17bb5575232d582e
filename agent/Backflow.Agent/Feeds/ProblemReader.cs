using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Backflow.Agent.Feeds;

/// <summary>Turns an error response into a <see cref="ServerProblemException"/> a county IT person can act on.</summary>
internal static class ProblemReader
{
    public static async Task<ServerProblemException> ReadAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        string? type = null;
        string? detail = null;
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            if (body.Length > 0 && response.Content.Headers.ContentType?.MediaType is { } media && media.Contains("json", StringComparison.Ordinal))
            {
                using var doc = JsonDocument.Parse(body);
                type = doc.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
                detail = doc.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // A proxy's HTML error page is not problem details; the status code alone still says enough.
        }

        var status = (int)response.StatusCode;
        var advice = (response.StatusCode, type) switch
        {
            (_, ServerProblemException.EnrollmentFailed) => "the enrollment code is unknown, already used or expired; ask the provincial operator for a new one",
            (HttpStatusCode.Unauthorized, _) => "the server no longer accepts this agent's token (revoked or unknown); ask the provincial operator for a new enrollment code and run `backflow-agent enroll` again",
            (HttpStatusCode.Forbidden, _) => "the server refused: this dataset or region is not granted to this agent; ask the provincial operator to check the agent's grants",
            (HttpStatusCode.Gone, _) => "the asked-for sequence was removed by retention on the server; the feed needs a resync from the latest snapshot",
            _ when status >= 500 => "the server or a gateway failed; the agent retries on its next scheduled sync",
            _ => "unexpected answer from the server",
        };
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{what}: HTTP {status}{(detail is null ? string.Empty : $" ({detail})")}; {advice}");
        return new ServerProblemException(status, type, detail, message);
    }
}
