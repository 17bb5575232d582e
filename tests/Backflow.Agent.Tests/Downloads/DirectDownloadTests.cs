using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Backflow.Agent.Sync;
using Backflow.Agent.Tests.Support;

namespace Backflow.Agent.Tests.Downloads;

/// <summary>Extracts fetched straight from Azure Blob Storage (Azurite) with the read-only SAS URLs the feed hands out.</summary>
public sealed class DirectDownloadTests
{
    private readonly BlobContainerClient _container = new(Azurite.Shared.ConnectionString, Azurite.NewContainer());

    [Fact]
    public async Task An_offered_storage_url_is_used_and_the_server_download_route_is_not()
    {
        await using var agent = await AgentFixture.StartAsync();
        var extract = await agent.Server.PublishAsync("330106", 1, rows: 50);
        var url = await StoreAsync(extract, valid: true);
        agent.Server.OfferDirect = (_, _) => new DirectOffer(url, agent.Time.GetUtcNow().AddMinutes(15));

        var feed = agent.Only(await agent.SyncAsync());

        Assert.Equal(FeedOutcome.Current, feed.Outcome);
        Assert.Equal(50, Assert.Single(agent.Target.Applied).Rows);
        Assert.Empty(agent.Server.ExtractRequests);
        Assert.Contains("direct=true", Assert.Single(agent.Server.ChangesRequests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_url_storage_refuses_as_expired_is_renewed_through_the_feed_and_the_file_still_comes_from_storage()
    {
        await using var agent = await AgentFixture.StartAsync();
        var extract = await agent.Server.PublishAsync("330106", 1, rows: 50);
        var expired = await StoreAsync(extract, valid: false);
        var fresh = await StoreAsync(extract, valid: true);
        var offers = 0;
        // The first URL claims 15 minutes but storage's clock says it has expired: only the 403 can tell.
        agent.Server.OfferDirect = (_, _) => new DirectOffer(Interlocked.Increment(ref offers) == 1 ? expired : fresh, agent.Time.GetUtcNow().AddMinutes(15));

        var feed = agent.Only(await agent.SyncAsync());

        Assert.Equal(FeedOutcome.Current, feed.Outcome);
        Assert.Equal(50, Assert.Single(agent.Target.Applied).Rows);
        Assert.Empty(agent.Server.ExtractRequests);
        Assert.Equal(["?after=0&direct=true", "?after=0&limit=1&direct=true"], agent.Server.ChangesRequests);
    }

    [Fact]
    public async Task A_url_past_its_expiry_is_renewed_before_it_is_used()
    {
        await using var agent = await AgentFixture.StartAsync();
        var extract = await agent.Server.PublishAsync("330106", 1, rows: 5);
        var url = await StoreAsync(extract, valid: true);
        var offers = 0;
        agent.Server.OfferDirect = (_, _) => new DirectOffer(url, agent.Time.GetUtcNow().AddMinutes(Interlocked.Increment(ref offers) == 1 ? -1 : 15));

        Assert.Equal(FeedOutcome.Current, agent.Only(await agent.SyncAsync()).Outcome);

        Assert.Equal(2, offers);
        Assert.Empty(agent.Server.ExtractRequests);
    }

    [Fact]
    public async Task When_storage_refuses_every_fresh_url_the_agent_downloads_through_the_server_after_bounded_renewals()
    {
        await using var agent = await AgentFixture.StartAsync();
        var extract = await agent.Server.PublishAsync("330106", 1, rows: 5);
        var expired = await StoreAsync(extract, valid: false);
        agent.Server.OfferDirect = (_, _) => new DirectOffer(expired, agent.Time.GetUtcNow().AddMinutes(15));

        Assert.Equal(FeedOutcome.Current, agent.Only(await agent.SyncAsync()).Outcome);

        Assert.Equal(1 + 3, agent.Server.ChangesRequests.Count); // the page, then three renewals
        Assert.Single(agent.Server.ExtractRequests);
    }

    [Fact]
    public async Task When_storage_does_not_have_the_blob_the_agent_downloads_through_the_server()
    {
        await using var agent = await AgentFixture.StartAsync();
        await agent.Server.PublishAsync("330106", 1, rows: 5);
        await _container.CreateIfNotExistsAsync();
        var missing = _container.GetBlobClient("nothing-here.parquet").GenerateSasUri(BlobSasPermissions.Read, TimeProvider.System.GetUtcNow().AddMinutes(15));
        agent.Server.OfferDirect = (_, _) => new DirectOffer(missing, agent.Time.GetUtcNow().AddMinutes(15));

        Assert.Equal(FeedOutcome.Current, agent.Only(await agent.SyncAsync()).Outcome);

        Assert.Single(agent.Server.ChangesRequests);
        Assert.Single(agent.Server.ExtractRequests);
    }

    [Fact]
    public async Task A_partly_staged_download_resumes_from_storage_with_a_range()
    {
        await using var agent = await AgentFixture.StartAsync();
        var extract = await agent.Server.PublishAsync("330106", 1, rows: 200);
        var half = extract.File.Length / 2;
        // The stored blob's first half is garbage: only a download that really starts at the staged length verifies.
        var url = await StoreAsync(extract, valid: true, content: [.. new byte[half], .. extract.File[half..]]);
        agent.Server.OfferDirect = (_, _) => new DirectOffer(url, agent.Time.GetUtcNow().AddMinutes(15));
        var staging = Path.Combine(agent.StateDirectory, "staging");
        Directory.CreateDirectory(staging);
        await File.WriteAllBytesAsync(Path.Combine(staging, $"{TestCatalog.Dataset}.330106.000001.parquet.part"), extract.File[..half]);

        Assert.Equal(FeedOutcome.Current, agent.Only(await agent.SyncAsync()).Outcome);

        Assert.Equal(200, Assert.Single(agent.Target.Applied).Rows);
        Assert.Empty(agent.Server.ExtractRequests);
    }

    [Fact]
    public async Task With_direct_downloads_off_the_agent_never_asks_for_storage_urls()
    {
        await using var agent = await AgentFixture.StartAsync(configure: o => o.DirectDownloads = false);
        var extract = await agent.Server.PublishAsync("330106", 1, rows: 5);
        var url = await StoreAsync(extract, valid: true);
        agent.Server.OfferDirect = (_, _) => new DirectOffer(url, agent.Time.GetUtcNow().AddMinutes(15));

        Assert.Equal(FeedOutcome.Current, agent.Only(await agent.SyncAsync()).Outcome);

        Assert.DoesNotContain("direct", Assert.Single(agent.Server.ChangesRequests), StringComparison.Ordinal);
        Assert.Single(agent.Server.ExtractRequests);
    }

    /// <summary>Stores the extract's file as a blob and signs a read-only URL that storage accepts or, by its own clock, has expired.</summary>
    private async Task<Uri> StoreAsync(PublishedExtract extract, bool valid, byte[]? content = null)
    {
        await _container.CreateIfNotExistsAsync();
        var blob = _container.GetBlobClient($"{TestCatalog.Dataset}/330106/{extract.Sequence:D12}.parquet");
        if (!await blob.ExistsAsync())
        {
            await blob.UploadAsync(new BinaryData(content ?? extract.File));
        }

        return blob.GenerateSasUri(BlobSasPermissions.Read, TimeProvider.System.GetUtcNow().AddMinutes(valid ? 15 : -5));
    }
}
