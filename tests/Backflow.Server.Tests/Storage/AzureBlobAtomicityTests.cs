using System.Text;
using Azure.Storage.Blobs;
using Backflow.Server.Hosting;
using Backflow.Server.Metadata;
using Backflow.Server.Publishing;
using Backflow.Server.Storage;
using Backflow.Server.Tests.Functional.Kit;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Backflow.Server.Tests.Storage;

/// <summary>A publish that fails between two regions' uploads leaves no blob and no manifest behind on Azure Blob either.</summary>
public sealed class AzureBlobAtomicityTests : IDisposable
{
    private readonly TempServerFolder _folder = new();
    private readonly BlobContainerClient _container = new(Azurite.Shared.ConnectionString, Azurite.NewContainer());

    [Fact]
    public async Task A_failure_after_the_first_region_is_uploaded_leaves_nothing_visible_and_the_retry_publishes_everything()
    {
        var paths = _folder.NewPaths();
        TestRow[] rows = [new("A", "甲", "330106"), new("B", "乙", "330108"), new("C", "丙", "330102")];
        using (var failing = Services(paths, failOnCommit: 2))
        {
            await Assert.ThrowsAsync<IOException>(() => PublishAsync(failing, rows));
        }

        Assert.Empty(await BlobsAsync());
        using var services = Services(paths, failOnCommit: 0);
        using (var connection = services.GetRequiredService<MetadataDatabase>().Open())
        {
            Assert.Equal(0, connection.ExecuteScalar<long>("SELECT count(*) FROM manifests"));
        }

        var retried = await PublishAsync(services, rows);

        Assert.Equal(3, retried.Regions.Count);
        Assert.Equal(3, (await BlobsAsync()).Count);
    }

    public void Dispose() => _folder.Dispose();

    private ServiceProvider Services(ServerPaths paths, int failOnCommit)
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(AzureSettings.For(_container.Name)).Build();
        var services = new ServiceCollection().AddBackflowServer(paths, settings);
        if (failOnCommit > 0)
        {
            services.AddSingleton<IExtractStore>(new FailingExtractStore(new AzureBlobExtractStore(_container), failOnCommit));
        }

        return services.BuildServiceProvider();
    }

    private async Task<List<string>> BlobsAsync()
    {
        var names = new List<string>();
        await foreach (var name in new AzureBlobExtractStore(_container).ListAsync(TestCatalog.Entities + "/", CancellationToken.None))
        {
            names.Add(name);
        }

        return names;
    }

    private static Task<PublishResult> PublishAsync(IServiceProvider services, TestRow[] rows) =>
        services.GetRequiredService<Publisher>().PublishAsync(
            new PublishRequest(TestCatalog.Entities, new MemoryStream(Encoding.UTF8.GetBytes(TestRow.CsvOf(rows))), null, new UTF8Encoding(false), "p-1", "test"),
            CancellationToken.None);
}
