using System.Net.Http.Headers;

namespace Backflow.Agent.Downloads;

/// <summary>
/// Fetches extract files from storage URLs: the same proxy, CA and retry settings as the server's client, but a client of
/// its own, so the bearer token can never go to storage and a storage outage never opens the server client's circuit.
/// </summary>
internal sealed class StorageClient(HttpClient http)
{
    public async Task<HttpResponseMessage> GetAsync(Uri url, long fromByte, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (fromByte > 0)
        {
            // No If-Range: blob names are never reused and objects are create-only, so the bytes under a name cannot
            // change; the SHA-256 check after the download is the final word either way.
            request.Headers.Range = new RangeHeaderValue(fromByte, null);
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }
}
