using System.Text.Json;

namespace Backflow.Agent.Feeds;

/// <summary>The answer to <c>GET /catalog/{dataset}</c>.</summary>
internal sealed record CatalogEntry(int SchemaVersion, string SchemaHash, JsonElement Definition);
