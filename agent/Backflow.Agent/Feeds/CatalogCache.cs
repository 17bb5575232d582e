using Backflow.Agent.Enrollment;
using Backflow.Agent.Verification;
using Backflow.Protocol.Catalog;

namespace Backflow.Agent.Feeds;

/// <summary>
/// The catalog definitions the agent holds (<c>catalog/&lt;dataset&gt;.json</c>). A manifest naming another schema
/// hash makes it fetch the definition once more; the fetched hash is recomputed, never taken from the server.
/// </summary>
internal sealed class CatalogCache(StateFolder state, FeedClient client)
{
    public async Task<DatasetDefinition> GetAsync(string dataset, string schemaHash, CancellationToken ct)
    {
        var path = state.CatalogFile(dataset);
        if (File.Exists(path))
        {
            var local = CatalogReader.Parse(await File.ReadAllTextAsync(path, ct), path);
            if (string.Equals(local.SchemaHash, schemaHash, StringComparison.Ordinal))
            {
                return local;
            }
        }

        var entry = await client.GetCatalogAsync(dataset, ct);
        var json = entry.Definition.GetRawText();
        DatasetDefinition fetched;
        try
        {
            fetched = CatalogReader.Parse(json, $"GET /catalog/{dataset}");
        }
        catch (CatalogException e)
        {
            throw new RejectedException(RejectionReason.SchemaMismatch, $"the server's catalog definition of '{dataset}' is invalid: {e.Message}");
        }

        if (!string.Equals(fetched.SchemaHash, entry.SchemaHash, StringComparison.Ordinal))
        {
            throw new RejectedException(
                RejectionReason.SchemaMismatch,
                $"the server's catalog definition of '{dataset}' hashes to {fetched.SchemaHash} but the server says {entry.SchemaHash}");
        }

        if (!string.Equals(fetched.SchemaHash, schemaHash, StringComparison.Ordinal))
        {
            throw new RejectedException(
                RejectionReason.SchemaMismatch,
                $"the manifest names schema {schemaHash} but the catalog definition of '{dataset}' is {fetched.SchemaHash} (version {entry.SchemaVersion})");
        }

        state.EnsureCreated();
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, json, ct);
        File.Move(temporary, path, overwrite: true);
        return fetched;
    }
}
