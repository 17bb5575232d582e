using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Backflow.Agent.Downloads;
using Backflow.Agent.Hosting;
using Backflow.Agent.Loading;

namespace Backflow.Agent.Feeds;

/// <summary>
/// The agent's side of the feed API. Retries with backoff for transient failures happen in the HTTP pipeline
/// (the standard resilience handler, see <c>AgentHttpClients</c>); here every error answer becomes a
/// <see cref="ServerProblemException"/> with the server's detail.
/// </summary>
internal sealed class FeedClient(HttpClient http, ServerEndpoint endpoint, AgentOptions options, DirectLinks links)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<EnrollResponse> EnrollAsync(Uri server, string code, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(new Uri(ServerEndpoint.ApiRootOf(server), "enroll"), new { code }, Json, ct);
        return await ReadAsync<EnrollResponse>(response, "enrollment", ct);
    }

    /// <summary>Lists feeds with an explicit token; enrollment uses it before the token is stored.</summary>
    public async Task<FeedList> GetFeedsAsync(Uri server, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(ServerEndpoint.ApiRootOf(server), "feeds"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        return await ReadAsync<FeedList>(response, "listing feeds", ct);
    }

    public Task<FeedList> GetFeedsAsync(CancellationToken ct) => GetAsync<FeedList>("feeds", "listing feeds", ct);

    public Task<ChangesPage> GetChangesAsync(string dataset, string region, long after, CancellationToken ct) =>
        GetChangesAsync(dataset, region, after, null, ct);

    /// <summary>Asks the feed again for one extract, for the fresh storage URL that comes with it.</summary>
    public Task<ChangesPage> RenewDirectLinkAsync(string dataset, string region, long sequence, CancellationToken ct) =>
        GetChangesAsync(dataset, region, sequence - 1, 1, ct);

    private async Task<ChangesPage> GetChangesAsync(string dataset, string region, long after, int? limit, CancellationToken ct)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"feeds/{Uri.EscapeDataString(dataset)}/{Uri.EscapeDataString(region)}/changes?after={after}")
            + (limit is { } l ? "&limit=" + l.ToString(CultureInfo.InvariantCulture) : string.Empty)
            + (options.DirectDownloads ? "&direct=true" : string.Empty);
        var page = await GetAsync<ChangesPage>(query, $"asking feed {dataset}/{region} for changes after {after.ToString(CultureInfo.InvariantCulture)}", ct);
        links.Remember(page);
        return page;
    }

    public Task<CatalogEntry> GetCatalogAsync(string dataset, CancellationToken ct) =>
        GetAsync<CatalogEntry>($"catalog/{Uri.EscapeDataString(dataset)}", $"fetching the catalog definition of {dataset}", ct);

    public async Task ReportRunAsync(RunRecord run, CancellationToken ct)
    {
        using var request = Authorized(HttpMethod.Post, "agents/me/runs");
        request.Content = JsonContent.Create(run, options: Json);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw await ProblemReader.ReadAsync(response, "reporting a run", ct);
        }
    }

    /// <summary>Starts an extract download; the caller owns the response and reads the body as a stream.</summary>
    public async Task<HttpResponseMessage> GetExtractAsync(
        string dataset, string region, long sequence, long fromByte, string? entityTag, CancellationToken ct)
    {
        using var request = Authorized(
            HttpMethod.Get,
            string.Create(CultureInfo.InvariantCulture, $"extracts/{Uri.EscapeDataString(dataset)}/{Uri.EscapeDataString(region)}/{sequence}"));
        if (fromByte > 0)
        {
            request.Headers.Range = new RangeHeaderValue(fromByte, null);
            if (entityTag is not null)
            {
                // If the file changed on the server since the part was written, the server sends it whole (200).
                request.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue($"\"{entityTag}\""));
            }
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private async Task<T> GetAsync<T>(string path, string what, CancellationToken ct)
    {
        using var request = Authorized(HttpMethod.Get, path);
        using var response = await http.SendAsync(request, ct);
        return await ReadAsync<T>(response, what, ct);
    }

    private HttpRequestMessage Authorized(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(endpoint.ApiRoot, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.Token);
        return request;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ProblemReader.ReadAsync(response, what, ct);
        }

        var value = await response.Content.ReadFromJsonAsync<T>(Json, ct);
        return value ?? throw new InvalidDataException($"{what}: the server answered JSON null");
    }
}
