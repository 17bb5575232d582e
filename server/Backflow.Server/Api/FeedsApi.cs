using System.Text.Json;
using System.Text.Json.Serialization;
using Backflow.Server.Audit;
using Backflow.Server.Catalog;
using Backflow.Server.Feeds;
using Backflow.Server.Metadata;
using Backflow.Server.Problems;
using Backflow.Server.Security;
using Backflow.Server.Snapshots;
using Backflow.Server.Storage;

namespace Backflow.Server.Api;

/// <summary>The agent-facing feed routes: what is there for me, and the signed manifests after a sequence.</summary>
internal static class FeedsApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapFeedsApi(this RouteGroupBuilder api)
    {
        var agent = api.MapGroup(string.Empty).RequireCaller<AgentCaller, RouteGroupBuilder>();
        agent.MapGet("/feeds", ListFeeds);
        agent.MapGet("/feeds/{dataset}/{region}/changes", Changes);
        return api;
    }

    private static IResult ListFeeds(HttpContext http, MetadataDatabase database, CatalogService catalog)
    {
        var caller = http.Caller<AgentCaller>();
        using var connection = database.Open();
        var feeds = new List<FeedSummary>();
        foreach (var dataset in caller.Datasets.Order(StringComparer.Ordinal))
        {
            var definition = catalog.Find(dataset);
            if (definition is null)
            {
                continue; // granted once, since removed from the catalog: nothing to serve
            }

            var version = SchemaRegistry.Latest(connection, dataset);
            foreach (var feed in FeedStore.ForDataset(connection, dataset))
            {
                if (StoredRegions.CoveredBy(caller.Scope, feed.Region))
                {
                    feeds.Add(new FeedSummary(dataset, feed.Region, feed.Generation, feed.LatestSequence, feed.OldestSequence,
                        feed.SchemaVersion, version?.SchemaHash ?? definition.SchemaHash, SnapshotStore.LatestSnapshot(connection, null, dataset, feed.Region)));
                }
            }
        }

        return TypedResults.Ok(new { agentId = caller.Id, regions = caller.Scope.ToString(), feeds });
    }

    private static async Task<IResult> Changes(HttpContext http, string dataset, string region, long? after, int? limit, bool? direct,
        MetadataDatabase database, CatalogService catalog, DirectDownloads downloads, AuditLog audit, WriteBatcher writes)
    {
        var caller = http.Caller<AgentCaller>();
        if (await FeedAccess.CheckAsync(http, caller, dataset, region) is { } refused)
        {
            return refused;
        }

        if (after is < 0 || limit is < 1 or > MaxLimit)
        {
            return Problem.InvalidRequest($"'after' must be 0 or more and 'limit' between 1 and {MaxLimit}");
        }

        using var connection = database.Open();
        var feed = FeedStore.Find(connection, null, dataset, region) ?? FeedState.New(dataset, region);
        var from = after ?? 0;
        if (feed.LatestSequence > from && from + 1 < feed.OldestSequence)
        {
            return Problem.Of(StatusCodes.Status410Gone, ProblemTypes.SequenceExpired, "Sequence expired",
                $"sequence {from + 1} of {dataset}/{region} is no longer available (oldest is {feed.OldestSequence}); load the latest snapshot",
                new Dictionary<string, object?>
                {
                    ["oldestSequence"] = feed.OldestSequence, ["latestSequence"] = feed.LatestSequence,
                    ["latestSnapshotSequence"] = SnapshotStore.LatestSnapshot(connection, null, dataset, region),
                });
        }

        var manifests = FeedStore.ManifestsAfter(connection, dataset, region, from, limit ?? DefaultLimit);
        var envelopes = manifests.Select(m => JsonDocument.Parse(m.Envelope).RootElement).ToArray();
        var schemaHash = SchemaRegistry.Latest(connection, dataset)?.SchemaHash ?? catalog.Find(dataset)?.SchemaHash;
        // Only for agents that ask: an agent that cannot reach storage must not leave audited URLs nobody used.
        var links = direct == true && downloads.Enabled && manifests.Count > 0
            ? await DirectDownloadLinks.IssueAsync(downloads, writes, audit, caller, manifests)
            : null;
        return TypedResults.Ok(new ChangesResponse(dataset, region, feed.Generation, feed.LatestSequence, feed.OldestSequence,
            feed.SchemaVersion, schemaHash, SnapshotStore.LatestSnapshot(connection, null, dataset, region), envelopes, links));
    }

    private sealed record FeedSummary(string Dataset, string Region, long Generation, long LatestSequence, long OldestSequence, long SchemaVersion, string SchemaHash,
        long? LatestSnapshotSequence);

    private sealed record ChangesResponse(string Dataset, string Region, long Generation, long LatestSequence, long OldestSequence,
        long SchemaVersion, string? SchemaHash, long? LatestSnapshotSequence, IReadOnlyList<JsonElement> Manifests,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<DirectDownloadLink>? DirectDownloads);
}
