using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Backflow.Protocol.Manifests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Backflow.Agent.Tests.Support;

/// <summary>A small Backflow feed server on loopback: signed manifests, real extracts, Range, and cut connections.</summary>
internal sealed class TestFeedServer : IAsyncDisposable
{
    public const string Token = "bfa_test-token";
    public const string EnrollmentCode = "K7QD-M2XW";
    public const string AgentId = "agent-1a2b3c4d5e";

    private readonly WebApplication _app;

    private TestFeedServer(WebApplication app, string regions)
    {
        _app = app;
        Regions = regions;
    }

    public SigningKey Key { get; } = SigningKey.Generate();

    public string Regions { get; set; }

    /// <summary>Published extracts per region, by sequence.</summary>
    public ConcurrentDictionary<string, SortedDictionary<long, PublishedExtract>> Feeds { get; } = new();

    /// <summary>When set for a region, GET changes answers these envelopes instead of the published ones.</summary>
    public ConcurrentDictionary<string, List<byte[]>> ChangesOverride { get; } = new();

    public ConcurrentQueue<string> ExtractRequests { get; } = new();

    /// <summary>The query string of every changes request, in order.</summary>
    public ConcurrentQueue<string> ChangesRequests { get; } = new();

    /// <summary>When set, changes pages asked with <c>direct=true</c> offer this storage URL per sequence (null: none).</summary>
    public Func<string, long, DirectOffer?>? OfferDirect { get; set; }

    public ConcurrentQueue<JsonElement> Runs { get; } = new();

    public Uri Url { get; private set; } = null!;

    public static async Task<TestFeedServer> StartAsync(string regions = "330106")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new TestFeedServer(app, regions);
        server.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.Url = new Uri(address);
        return server;
    }

    public async Task<PublishedExtract> PublishAsync(string region, long sequence, int rows = 3)
    {
        var file = await ExtractFactory.WriteAsync(region, sequence, rows);
        var extract = new PublishedExtract(sequence, ExtractFactory.Sign(Key, region, sequence, file, rows), file);
        var feed = Feeds.GetOrAdd(region, _ => []);
        lock (feed)
        {
            feed[sequence] = extract;
        }

        return extract;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapPost("/enroll", async (HttpContext http) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
            return body.GetProperty("code").GetString() == EnrollmentCode
                ? Results.Json(new { agentId = AgentId, token = Token, keys = new[] { new { keyId = Key.KeyId, fingerprint = Key.PublicKey.Fingerprint, publicKeyPem = Key.PublicKey.ToPem() } } })
                : Results.Problem(type: "urn:backflow:problem:enrollment-failed", statusCode: 401, detail: "enrollment code unknown, used or expired");
        });
        api.MapGet("/feeds", (HttpContext http) => Authorized(http) ?? Results.Json(new
        {
            agentId = AgentId,
            regions = Regions,
            feeds = Feeds.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new
            {
                dataset = TestCatalog.Dataset, region = f.Key, generation = 1, latestSequence = Latest(f.Key), oldestSequence = 1,
                schemaVersion = 1, schemaHash = TestCatalog.Definition.SchemaHash,
            }),
        }));
        api.MapGet("/feeds/{dataset}/{region}/changes", (HttpContext http, string dataset, string region, long after) =>
        {
            ChangesRequests.Enqueue(http.Request.QueryString.Value ?? string.Empty);
            var envelopes = ChangesOverride.TryGetValue(region, out var forced)
                ? forced
                : [.. Extracts(region).Where(e => e.Sequence > after).Select(e => e.Envelope)];
            var direct = http.Request.Query["direct"] == "true" && OfferDirect is { } offer
                ? Extracts(region).Where(e => e.Sequence > after).Select(e => (e.Sequence, Offer: offer(region, e.Sequence)))
                    .Where(o => o.Offer is not null).Select(o => new { sequence = o.Sequence, url = o.Offer!.Url, expiresAt = o.Offer.ExpiresAt }).ToArray()
                : null;
            return Authorized(http) ?? Results.Json(new
            {
                dataset, region, generation = 1, latestSequence = Latest(region), oldestSequence = 1, schemaVersion = 1,
                schemaHash = TestCatalog.Definition.SchemaHash, manifests = envelopes.Select(e => JsonSerializer.Deserialize<JsonElement>(e)),
                directDownloads = direct,
            });
        });
        api.MapGet("/extracts/{dataset}/{region}/{sequence:long}", async (HttpContext http, string region, long sequence) =>
        {
            ExtractRequests.Enqueue($"{region}/{sequence} range={http.Request.Headers.Range} if-range={http.Request.Headers.IfRange}");
            var extract = Extracts(region).FirstOrDefault(e => e.Sequence == sequence);
            if (Authorized(http) is { } denied || extract is null)
            {
                return Authorized(http) ?? Results.NotFound();
            }

            if (extract.CutAfter is { } cut)
            {
                extract.CutAfter = null;
                http.Response.ContentLength = extract.File.Length;
                http.Response.ContentType = "application/vnd.apache.parquet";
                await http.Response.Body.WriteAsync(extract.File.AsMemory(0, cut));
                await http.Response.Body.FlushAsync();

                // Let the client receive the headers and the first bytes, so that the cut lands mid-body (a resume)
                // rather than before the headers (which the HTTP retry handler would simply repeat).
                await Task.Delay(TimeSpan.FromMilliseconds(300));
                http.Abort();
                return Results.Empty;
            }

            var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(extract.File))}\"");
            return Results.Bytes(extract.File, "application/vnd.apache.parquet", enableRangeProcessing: true, entityTag: etag);
        });
        api.MapGet("/catalog/{dataset}", (HttpContext http) => Authorized(http) ?? Results.Json(new
        {
            schemaVersion = 1, schemaHash = TestCatalog.Definition.SchemaHash, definition = JsonSerializer.Deserialize<JsonElement>(TestCatalog.Json),
        }));
        api.MapPost("/agents/me/runs", async (HttpContext http) =>
        {
            Runs.Enqueue(await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body));
            return Authorized(http) ?? Results.NoContent();
        });
    }

    private static IResult? Authorized(HttpContext http) =>
        http.Request.Headers.Authorization == $"Bearer {Token}"
            ? null
            : Results.Problem(type: "urn:backflow:problem:unauthenticated", statusCode: 401, detail: "unknown or revoked token");

    private List<PublishedExtract> Extracts(string region)
    {
        if (!Feeds.TryGetValue(region, out var feed))
        {
            return [];
        }

        lock (feed)
        {
            return [.. feed.Values];
        }
    }

    private long Latest(string region) => Extracts(region).Select(e => e.Sequence).DefaultIfEmpty(0).Max();
}
