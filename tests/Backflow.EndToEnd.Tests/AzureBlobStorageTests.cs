using System.Text.Json;
using Azure.Storage.Blobs;
using Backflow.EndToEnd.Tests.Kit;

namespace Backflow.EndToEnd.Tests;

/// <summary>
/// The real server and agents with extracts in Azure Blob Storage (Azurite): publish, snapshot and retention act on
/// blobs; agents that may reach storage download with audited read-only SAS URLs, the others through the server.
/// </summary>
public sealed class AzureBlobStorageTests
{
    private static readonly string[] Counties = ["330106", "330102", "330108"];

    [Fact]
    public async Task Publish_snapshot_sync_and_retention_run_on_blob_storage_with_direct_sas_downloads_and_the_server_route()
    {
        var container = Azurite.NewContainer();
        await using var server = new ServerProcess();
        server.Environment["BACKFLOW__STORAGE__MODE"] = "AzureBlob";
        server.Environment["BACKFLOW__STORAGE__CONNECTIONSTRING"] = Azurite.Shared.ConnectionString;
        server.Environment["BACKFLOW__STORAGE__CONTAINER"] = container;
        server.Environment["BACKFLOW__STORAGE__DIRECTDOWNLOADS"] = "true";
        var (dataset, expected, session) = SnapshotTests.Setup(server);
        await server.StartAsync();
        var direct = await AgentSyncTests.EnrollAsync(server, "direct", "330100");
        var viaServer = await AgentSyncTests.EnrollAsync(server, "via-server", "330100");
        viaServer.Environment["BACKFLOW__DIRECTDOWNLOADS"] = "false"; // a site that can reach only the server
        var random = new Random(26);

        await session.PublishAsync([.. Enumerable.Range(1, 120).Select(i => AllTypesDataset.Row(i, Counties[i % 3], random))]);
        await Synced(direct);
        await session.PublishAsync([.. Enumerable.Range(1, 120).Where(i => i % 4 == 0).Select(i => AllTypesDataset.Row(i, Counties[(i + 1) % 3], random))], deletes: [5, 7]);
        await server.CliJsonAsync("snapshot", "--dataset", AllTypesDataset.Id);
        await session.PublishAsync([.. Enumerable.Range(121, 20).Select(i => AllTypesDataset.Row(i, Counties[i % 3], random))]);
        await Synced(direct);
        await Synced(viaServer);

        SnapshotTests.AssertEqualCopies(dataset, expected, direct, viaServer);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "extracts"), "*", SearchOption.AllDirectories));
        var blobs = await BlobNamesAsync(container);
        var audit = await AuditAsync(server);
        var directId = AgentId(audit, direct);
        var viaServerId = AgentId(audit, viaServer);
        // 3 regions × 4 sequences (3 publishes + the snapshot), each fetched once by the direct agent, from storage.
        Assert.Equal(12, blobs.Count);
        Assert.Equal(12, audit.Count(r => Is(r, "sas-issued", directId)));
        Assert.DoesNotContain(audit, r => Is(r, "download", directId));
        Assert.All(audit.Where(r => Is(r, "sas-issued", directId)), r => Assert.Contains("valid until", r.GetProperty("detail").GetString(), StringComparison.Ordinal));
        // It joined after the snapshot, so it starts from it: snapshot and last delta of each region, through the server.
        Assert.Equal(6, audit.Count(r => Is(r, "download", viaServerId)));
        Assert.DoesNotContain(audit, r => Is(r, "sas-issued", viaServerId));

        // Retention deletes the blobs of the extracts it removes; a new agent then starts from the snapshot in storage.
        var removed = await server.CliJsonAsync("retention", "--window-days", "0");
        var removedCount = removed.GetProperty("removed").EnumerateArray().Sum(r => r.GetProperty("extracts").GetInt32());
        Assert.Equal(6, removedCount);
        Assert.Equal(12 - removedCount, (await BlobNamesAsync(container)).Count);
        var late = await AgentSyncTests.EnrollAsync(server, "late", "330100");
        await Synced(late);
        SnapshotTests.AssertEqualCopies(dataset, expected, direct, late);
    }

    private static async Task Synced(AgentProcess agent)
    {
        var sync = await agent.SyncAsync();
        Assert.True(sync.ExitCode == 0, sync.ToString());
    }

    private static async Task<List<string>> BlobNamesAsync(string container)
    {
        var names = new List<string>();
        await foreach (var blob in new BlobContainerClient(Azurite.Shared.ConnectionString, container).GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private static async Task<List<JsonElement>> AuditAsync(ServerProcess server) =>
        [.. (await server.CliJsonAsync("audit", "--limit", "1000")).EnumerateArray()];

    private static string AgentId(List<JsonElement> audit, AgentProcess agent)
    {
        var name = Path.GetFileName(agent.StateDirectory)["agent-".Length..];
        return audit.Single(r => r.GetProperty("kind").GetString() == "agent-created" && r.GetProperty("detail").GetString()!.StartsWith($"name={name};", StringComparison.Ordinal))
            .GetProperty("agentId").GetString()!;
    }

    private static bool Is(JsonElement record, string kind, string agentId) =>
        record.GetProperty("kind").GetString() == kind && record.GetProperty("agentId").GetString() == agentId;
}
