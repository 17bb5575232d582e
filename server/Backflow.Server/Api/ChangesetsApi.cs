using System.Text;
using Backflow.Server.Catalog;
using Backflow.Server.Hosting;
using Backflow.Server.Problems;
using Backflow.Server.Publishing;
using Backflow.Server.Rebasing;
using Backflow.Server.Security;

namespace Backflow.Server.Api;

/// <summary>
/// Publishing over HTTP: <c>POST /api/v1/datasets/{id}/changesets</c> with the changes file as the body, or as
/// multipart parts <c>changes</c> and <c>deletes</c>. Uploads are spooled to the staging folder first, because
/// a Parquet file is read from its footer and must be seekable.
/// </summary>
internal static class ChangesetsApi
{
    public static RouteGroupBuilder MapChangesetsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/datasets/{dataset}/changesets", Publish)
            .RequireCaller<PublisherCaller, RouteHandlerBuilder>()
            .DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute());
        return api;
    }

    private static async Task<IResult> Publish(HttpContext http, string dataset, string? publishId, string? encoding,
        Publisher publisher, CatalogService catalog, ServerPaths paths, CancellationToken cancellationToken)
    {
        var caller = http.Caller<PublisherCaller>();
        if (PathValidation.DatasetError(dataset) is { } error)
        {
            return Problem.InvalidPath(error);
        }

        if (!caller.MayPublish(dataset))
        {
            return Problem.Forbidden($"this publisher token may not publish '{dataset}'");
        }

        // Checked before the upload is spooled, and answered as the API promises for a missing dataset.
        if (catalog.Find(dataset) is null)
        {
            return Problem.NotFound($"the catalog has no dataset '{dataset}'");
        }

        Encoding textEncoding;
        try
        {
            textEncoding = PublishEncodings.Parse(encoding);
        }
        catch (UserError e)
        {
            return Problem.InvalidRequest(e.Message);
        }

        var spool = Path.Combine(paths.StagingDirectory, "upload-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(spool);
        try
        {
            var (changes, deletes) = await SpoolAsync(http.Request, spool, cancellationToken);
            if (changes is null && deletes is null)
            {
                return Problem.InvalidRequest("the request has no changes file: send it as the body, or as a multipart part named 'changes' (and/or 'deletes')");
            }

            await using var changesStream = changes is null ? NoChanges.For(catalog.Get(dataset)) : File.OpenRead(changes);
            await using var deletesStream = deletes is null ? null : File.OpenRead(deletes);
            var result = await publisher.PublishAsync(
                new PublishRequest(dataset, changesStream, deletesStream, textEncoding, publishId, caller.Actor), cancellationToken);
            return TypedResults.Ok(result);
        }
        catch (PublishRejectedException rejected)
        {
            return Problem.Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.ChangesetInvalid, "Changeset rejected",
                $"{rejected.Problems.TotalCount} problem(s); nothing was published",
                new Dictionary<string, object?> { ["problems"] = rejected.Problems.Items.Select(p => p.ToString()).ToArray(), ["problemCount"] = rejected.Problems.TotalCount });
        }
        catch (RebaseRequiredException e)
        {
            return Problem.Of(StatusCodes.Status409Conflict, ProblemTypes.RebaseRequired, "Re-base required", e.Message,
                new Dictionary<string, object?> { ["change"] = e.Change.Description, ["blockers"] = e.Change.Blockers });
        }
        catch (PublishIdReusedException e)
        {
            return Problem.Of(StatusCodes.Status409Conflict, ProblemTypes.PublishIdReused, "Publish id already used", e.Message,
                new Dictionary<string, object?> { ["publishId"] = e.PublishId });
        }
        catch (UserError e)
        {
            return Problem.InvalidRequest(e.Message);
        }
        finally
        {
            Directory.Delete(spool, recursive: true);
        }
    }

    private static async Task<(string? Changes, string? Deletes)> SpoolAsync(HttpRequest request, string spool, CancellationToken cancellationToken)
    {
        // Only multipart is a form here. `curl --data-binary @file` labels a raw file application/x-www-form-urlencoded
        // by default; parsing that as a form failed with a 500 (form key length limit) in a user's first try.
        if (!IsMultipart(request))
        {
            var body = Path.Combine(spool, "changes");
            await using var file = File.Create(body);
            await request.Body.CopyToAsync(file, cancellationToken);
            return (body, null);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // Malformed multipart (bad boundary, truncated part) surfaces as either; the client can fix both.
            throw new UserError($"the multipart body could not be read ({e.Message}); send parts named 'changes' (and optionally 'deletes'), e.g. curl -F changes=@changes.csv, or the changes file alone as the body");
        }

        return (await SaveAsync(form.Files["changes"], Path.Combine(spool, "changes"), cancellationToken),
            await SaveAsync(form.Files["deletes"], Path.Combine(spool, "deletes"), cancellationToken));
    }

    private static bool IsMultipart(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    private static async Task<string?> SaveAsync(IFormFile? part, string path, CancellationToken cancellationToken)
    {
        if (part is null)
        {
            return null;
        }

        await using var file = File.Create(path);
        await part.CopyToAsync(file, cancellationToken);
        return path;
    }
}
