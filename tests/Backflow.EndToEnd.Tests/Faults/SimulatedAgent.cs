using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Backflow.Protocol.Hashing;
using Backflow.Protocol.Manifests;

namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>
/// An in-test client that does over the API what an agent does, minus loading: enrolls with a one-time code, pins the
/// keys, polls its feeds, and for each new manifest verifies the signature, downloads the extract and checks its
/// length and SHA-256. Its "applied" sequence per feed advances only over verified, contiguous sequences.
/// </summary>
internal sealed class SimulatedAgent(Uri server, string code, LatencyRecorder latencies) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(server, "/api/v1/"), Timeout = TimeSpan.FromSeconds(60) };
    private readonly Dictionary<string, long> _applied = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];
    private ManifestVerifier? _verifier;

    public IReadOnlyDictionary<string, long> Applied => _applied;

    public IReadOnlyList<string> Errors => _errors;

    public int Downloads { get; private set; }

    public async Task EnrollAsync()
    {
        using var document = await SendAsync(HttpMethod.Post, "enroll", JsonContent.Create(new { code }));
        var root = document.RootElement;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", root.GetProperty("token").GetString());
        _verifier = new ManifestVerifier(root.GetProperty("keys").EnumerateArray().Select(k => TrustedKey.FromPem(k.GetProperty("publicKeyPem").GetString()!)));
    }

    /// <summary>Polls every 0.5–2 s until <paramref name="stop"/>; errors are recorded, not thrown, so that every one is counted.</summary>
    public async Task RunAsync(Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await SyncOnceAsync();
            try
            {
                await Task.Delay(random.Next(500, 2000), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over the agent's feeds up to the latest sequence each lists.</summary>
    public async Task SyncOnceAsync()
    {
        try
        {
            using var feeds = await SendAsync(HttpMethod.Get, "feeds");
            foreach (var feed in feeds.RootElement.GetProperty("feeds").EnumerateArray())
            {
                await PullAsync(feed.GetProperty("dataset").GetString()!, feed.GetProperty("region").GetString()!, feed.GetProperty("latestSequence").GetInt64());
            }
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidDataException or TaskCanceledException or IOException)
        {
            _errors.Add(e.Message);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task PullAsync(string dataset, string region, long latest)
    {
        var key = dataset + "/" + region;
        var applied = _applied.GetValueOrDefault(key);
        while (applied < latest)
        {
            using var page = await SendAsync(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"feeds/{dataset}/{region}/changes?after={applied}"));
            var manifests = page.RootElement.GetProperty("manifests").EnumerateArray().ToArray();
            if (manifests.Length == 0)
            {
                throw new InvalidDataException($"{key}: latest is {latest} but no manifest follows {applied}");
            }

            foreach (var element in manifests)
            {
                var verification = _verifier!.Verify(Encoding.UTF8.GetBytes(element.GetRawText()));
                var manifest = verification.Manifest ?? throw new InvalidDataException($"{key}: manifest after {applied} failed verification: {verification.Message}");
                if (manifest.Dataset != dataset || manifest.Region.Value != region || manifest.Sequence != applied + 1)
                {
                    throw new InvalidDataException($"{key}: expected sequence {applied + 1}, got {manifest.Dataset}/{manifest.Region.Value}#{manifest.Sequence}");
                }

                await DownloadAsync(manifest);
                applied = manifest.Sequence;
                _applied[key] = applied;
            }
        }
    }

    private async Task DownloadAsync(Manifest manifest)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await _http.GetAsync(
            new Uri(string.Create(CultureInfo.InvariantCulture, $"extracts/{manifest.Dataset}/{manifest.Region.Value}/{manifest.Sequence}"), UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead);
        Require(response);
        await using var body = await response.Content.ReadAsStreamAsync();
        var (sha256, length) = await ContentHash.ComputeAsync(body);
        latencies.Add(started);
        Downloads++;
        if (sha256 != manifest.File.Sha256 || length != manifest.File.Bytes)
        {
            throw new InvalidDataException($"{manifest.File.Name}: got {length} bytes with SHA-256 {sha256}, the manifest says {manifest.File.Bytes} and {manifest.File.Sha256}");
        }
    }

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        using var response = await _http.SendAsync(request);
        Require(response);
        var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        latencies.Add(started);
        return document;
    }

    private static void Require(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}");
        }
    }
}
