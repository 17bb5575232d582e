using System.Text.Json;
using Backflow.Protocol.Catalog;
using Backflow.Server.Catalog;
using Backflow.Server.Metadata;
using Backflow.Server.Problems;
using Backflow.Server.Rebasing;
using Backflow.Server.Security;

namespace Backflow.Server.Api;

/// <summary>The dataset definition an agent needs to build its table and check schema hashes.</summary>
internal static class CatalogApi
{
    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder api)
    {
        api.MapGet("/catalog/{dataset}", Get).RequireCaller<Caller, RouteHandlerBuilder>();
        return api;
    }

    private static IResult Get(HttpContext http, string dataset, CatalogService catalog, MetadataDatabase database)
    {
        if (PathValidation.DatasetError(dataset) is { } error)
        {
            return Problem.InvalidPath(error);
        }

        var caller = http.Caller<Caller>();
        var allowed = caller switch
        {
            AgentCaller agent => agent.Datasets.Contains(dataset),
            PublisherCaller publisher => publisher.MayPublish(dataset),
            _ => true,
        };
        if (!allowed)
        {
            return Problem.Forbidden($"dataset '{dataset}' is not granted to this token");
        }

        if (catalog.Find(dataset) is not { } definition)
        {
            return Problem.NotFound($"the catalog has no dataset '{dataset}'");
        }

        using var connection = database.Open();
        if (SchemaGate.Pending(connection, null, definition) is { } pending)
        {
            // Until the re-base, every feed of the dataset carries the published schema: an agent that builds its table
            // now (a new one, or after a repair) must build it for the extracts it will actually receive.
            var published = PublishedSchema.Parse(pending.SchemaText).ToDefinition(definition);
            return TypedResults.Ok(new
            {
                schemaVersion = pending.Version,
                schemaHash = published.SchemaHash,
                definition = JsonDocument.Parse(CatalogWriter.ToJson(published)).RootElement,
            });
        }

        var version = SchemaRegistry.Latest(connection, dataset);
        return TypedResults.Ok(new
        {
            schemaVersion = version?.SchemaHash == definition.SchemaHash ? version.Version : (version?.Version ?? 0) + 1,
            schemaHash = definition.SchemaHash,
            definition = JsonDocument.Parse(CatalogWriter.ToJson(definition)).RootElement,
        });
    }
}
