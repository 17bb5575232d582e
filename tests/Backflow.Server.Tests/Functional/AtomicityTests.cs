using System.Text;
using Backflow.Server.Hosting;
using Backflow.Server.Metadata;
using Backflow.Server.Publishing;
using Backflow.Server.Storage;
using Backflow.Server.Tests.Functional.Kit;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Backflow.Server.Tests.Functional;

public sealed class AtomicityTests : IDisposable
{
    private readonly TempServerFolder _folder = new();

    [Fact]
    public async Task A_failure_after_the_first_region_is_committed_leaves_nothing_visible()
    {
        var paths = _folder.NewPaths();
        TestRow[] rows = [new("A", "甲", "330106"), new("B", "乙", "330108"), new("C", "丙", "330102")];
        using (var failing = Services(paths, failOnCommit: 2))
        {
            var error = await Assert.ThrowsAsync<IOException>(() => PublishAsync(failing, rows, "p-1"));
            Assert.Contains("injected failure", error.Message, StringComparison.Ordinal);
        }

        using var services = Services(paths, failOnCommit: 0);
        using (var connection = services.GetRequiredService<MetadataDatabase>().Open())
        {
            Assert.Equal(0, connection.ExecuteScalar<long>("SELECT count(*) FROM manifests"));
            Assert.Equal(0, connection.ExecuteScalar<long>("SELECT count(*) FROM feeds"));
            Assert.Equal(0, connection.ExecuteScalar<long>("SELECT count(*) FROM key_index"));
            Assert.Equal(0, connection.ExecuteScalar<long>("SELECT count(*) FROM publishes"));
        }

        Assert.Empty(Directory.EnumerateFiles(paths.ExtractsDirectory, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFileSystemEntries(paths.StagingDirectory));

        var retried = await PublishAsync(services, rows, "p-1");

        Assert.False(retried.Repeated);
        Assert.Equal([("330102", 1L, 1L), ("330106", 1L, 1L), ("330108", 1L, 1L)], retried.Regions.Select(r => (r.Region, r.Sequence, r.Upserts)));
        Assert.Equal(0, retried.Unchanged);
    }

    [Fact]
    public async Task A_failure_while_later_counties_are_still_being_finished_leaves_nothing_behind_and_a_retry_publishes_all()
    {
        // More counties than FinishAhead's window: when the second commit fails, some batches are still being finished
        // and the rest were never started. All must be settled and closed before the staging folder goes.
        var paths = _folder.NewPaths();
        var rows = Enumerable.Range(1, 40).Select(i => new TestRow($"K{i:D2}", $"单位{i}", $"3301{i:D2}")).ToArray();
        using (var failing = Services(paths, failOnCommit: 2))
        {
            var error = await Assert.ThrowsAsync<IOException>(() => PublishAsync(failing, rows, "p-many"));
            Assert.Contains("injected failure", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFiles(paths.ExtractsDirectory, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFileSystemEntries(paths.StagingDirectory));

        using var services = Services(paths, failOnCommit: 0);
        var retried = await PublishAsync(services, rows, "p-many");
        Assert.Equal(40, retried.Regions.Count);
        Assert.All(retried.Regions, r => Assert.Equal((1L, 1L), (r.Sequence, r.Upserts)));
    }

    [Fact]
    public async Task A_retry_with_the_same_publish_id_succeeds_after_a_crash_that_left_a_committed_file_behind()
    {
        var paths = _folder.NewPaths();
        TestRow[] rows = [new("A", "甲", "330106")];
        using (var crashing = Services(paths, failOnCommit: 1, crash: true))
        {
            await Assert.ThrowsAsync<IOException>(() => PublishAsync(crashing, rows, "p-1"));
        }

        Assert.Single(Directory.EnumerateFiles(paths.ExtractsDirectory, "*", SearchOption.AllDirectories));
        using var services = Services(paths, failOnCommit: 0);

        var retried = await PublishAsync(services, rows, "p-1");

        Assert.Equal(("330106", 1L, 1L), retried.Regions.Select(r => (r.Region, r.Sequence, r.Upserts)).Single());
    }

    public void Dispose() => _folder.Dispose();

    private static ServiceProvider Services(ServerPaths paths, int failOnCommit, bool crash = false)
    {
        var services = new ServiceCollection().AddBackflowServer(paths);
        if (failOnCommit > 0)
        {
            services.AddSingleton<IExtractStore>(sp => new FailingExtractStore(new FileSystemExtractStore(sp.GetRequiredService<ServerPaths>()), failOnCommit, crash));
        }

        return services.BuildServiceProvider();
    }

    private static Task<PublishResult> PublishAsync(IServiceProvider services, TestRow[] rows, string publishId) =>
        services.GetRequiredService<Publisher>().PublishAsync(
            new PublishRequest(TestCatalog.Entities, new MemoryStream(Encoding.UTF8.GetBytes(TestRow.CsvOf(rows))), null, new UTF8Encoding(false), publishId, "test"),
            CancellationToken.None);
}
