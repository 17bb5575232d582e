using Backflow.Protocol.Catalog;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Functional;

public sealed class CatalogApiTests
{
    [Fact]
    public async Task The_catalog_entry_served_to_an_agent_hashes_to_the_schema_hash_it_is_served_with()
    {
        await using var server = await BackflowServer.StartAsync();
        await server.PublishAsync(new TestRow("A", "甲", "330106"));
        var agent = await server.EnrollAgentAsync("330106");

        var entry = await server.GetJsonAsync("/api/v1/catalog/test-entities", agent.Token);

        var definition = CatalogReader.Parse(entry.GetProperty("definition").GetRawText(), "test-entities.json");
        Assert.Equal(entry.GetProperty("schemaHash").GetString(), definition.SchemaHash);
        Assert.Equal(server.Dataset().SchemaHash, definition.SchemaHash);
        Assert.Equal(1, entry.GetProperty("schemaVersion").GetInt64());
    }
}
