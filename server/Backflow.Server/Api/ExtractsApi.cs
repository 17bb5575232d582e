using Backflow.Server.Audit;
using Backflow.Server.Feeds;
using Backflow.Server.Metadata;
using Backflow.Server.Security;
using Backflow.Server.Storage;
using Microsoft.Net.Http.Headers;

namespace Backflow.Server.Api;

/// <summary>Serves extract files to agents, with Range (resumable downloads) and an ETag of the file's SHA-256.
/// Every response that carries bytes is audited with the number of bytes sent.</summary>
internal static class ExtractsApi
{
    public const string ParquetMediaType = "application/vnd.apache.parquet";

    public static RouteGroupBuilder MapExtractsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/extracts/{dataset}/{region}/{sequence}", Download).RequireCaller<AgentCaller, RouteHandlerBuilder>();
        return api;
    }

    // The sequence is bound as text and validated here: a route constraint would answer a bad segment with a
    // bare 404, where the API promises 400 invalid-path.
    private static async Task<IResult> Download(HttpContext http, string dataset, string region, string sequence,
        MetadataDatabase database, IExtractStore store, AuditLog audit, CancellationToken cancellationToken)
    {
        var caller = http.Caller<AgentCaller>();
        if (await FeedAccess.CheckAsync(http, caller, dataset, region) is { } refused)
        {
            return refused;
        }

        if (PathValidation.SequenceError(sequence, out var number) is { } sequenceError)
        {
            return Problems.Problem.InvalidPath(sequenceError);
        }

        StoredManifest? manifest;
        using (var connection = database.Open())
        {
            manifest = FeedStore.FindManifest(connection, dataset, region, number);
        }

        if (manifest is null)
        {
            return Problems.Problem.NotFound($"there is no extract {sequence} of {dataset}/{region}");
        }

        var stream = await store.OpenReadAsync(manifest.FileName, cancellationToken);
        http.Response.OnCompleted(() =>
        {
            var sent = http.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status206PartialContent
                ? http.Response.ContentLength ?? manifest.FileBytes
                : 0;
            var range = http.Request.Headers.Range.ToString();
            return audit.AppendAsync(AuditKinds.Download, caller.Actor, caller.Id, dataset, region, number, sent,
                detail: $"status {http.Response.StatusCode}{(range.Length > 0 ? ", range " + range : string.Empty)}");
        });
        return TypedResults.Stream(stream, ParquetMediaType, fileDownloadName: null,
            entityTag: new EntityTagHeaderValue($"\"{manifest.FileSha256}\""), enableRangeProcessing: true);
    }
}
