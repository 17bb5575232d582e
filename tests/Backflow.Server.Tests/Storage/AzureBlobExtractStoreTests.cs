using System.Net;
using Azure.Storage.Blobs;
using Backflow.Server.Storage;

namespace Backflow.Server.Tests.Storage;

/// <summary>The store contract against Azurite, plus what only Azure does: read-only SAS URLs that expire.</summary>
public sealed class AzureBlobExtractStoreTests : ExtractStoreContract
{
    private readonly AzureBlobExtractStore _store = new(new BlobContainerClient(Azurite.Shared.ConnectionString, Azurite.NewContainer()));

    internal override IExtractStore Store => _store;

    [Fact]
    public async Task A_signed_link_reads_its_one_blob_without_other_credentials_until_it_expires()
    {
        var bytes = Bytes(5000, 4);
        await Store.CommitAsync(Stage(bytes), "ds/330106/000000000001-a.parquet", CancellationToken.None);
        await Store.CommitAsync(Stage(Bytes(10, 5)), "ds/330106/000000000002-b.parquet", CancellationToken.None);
        using var http = new HttpClient();

        var link = _store.SignReadLink("ds/330106/000000000001-a.parquet", TimeProvider.System.GetUtcNow().AddMinutes(5));
        Assert.Equal(bytes, await http.GetByteArrayAsync(link));

        // The signature covers the blob name: the same query on another blob is refused.
        var other = new Uri(link.AbsoluteUri.Replace("000000000001-a", "000000000002-b", StringComparison.Ordinal));
        using (var refused = await http.GetAsync(other))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        var expired = _store.SignReadLink("ds/330106/000000000001-a.parquet", TimeProvider.System.GetUtcNow().AddMinutes(-1));
        using var response = await http.GetAsync(expired);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Listing_a_container_that_was_never_created_is_empty()
    {
        var fresh = new AzureBlobExtractStore(new BlobContainerClient(Azurite.Shared.ConnectionString, Azurite.NewContainer()));

        await foreach (var name in fresh.ListAsync("ds/", CancellationToken.None))
        {
            Assert.Fail("unexpected " + name);
        }
    }
}
