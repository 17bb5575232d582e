using Backflow.Server.Hosting;
using Backflow.Server.Storage;

namespace Backflow.Server.Tests.Storage;

public sealed class FileSystemExtractStoreTests : ExtractStoreContract
{
    public FileSystemExtractStoreTests()
    {
        var paths = new ServerPaths(Path.Combine(Staging, "data"), Path.Combine(Staging, "catalog"));
        paths.EnsureCreated();
        Store = new FileSystemExtractStore(paths);
    }

    internal override IExtractStore Store { get; }

    [Fact]
    public async Task Flushing_commits_over_several_counties_and_datasets_succeeds()
    {
        string[] names = ["ds/330106/000000000001-a.parquet", "ds/330108/000000000001-a.parquet", "other/330106/000000000001-a.parquet"];
        foreach (var name in names)
        {
            await Store.CommitAsync(Stage(Bytes(10, 1)), name, CancellationToken.None);
        }

        await Store.FlushAsync(names, CancellationToken.None);
        await Store.FlushAsync([], CancellationToken.None);
    }

    [Fact]
    public async Task Flushing_opens_each_county_folder_so_a_name_never_committed_is_an_error_not_a_silent_success()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // folders are not flushed on Windows: NTFS journals their entries (DirectorySync)
        }

        await Store.CommitAsync(Stage(Bytes(10, 1)), "ds/330106/000000000001-a.parquet", CancellationToken.None);

        var error = await Assert.ThrowsAsync<IOException>(() => Store.FlushAsync(["ds/330106/000000000001-a.parquet", "ds/999999/000000000001-a.parquet"], CancellationToken.None));

        Assert.Contains("999999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flushing_refuses_a_name_outside_the_store() =>
        await Assert.ThrowsAsync<ArgumentException>(() => Store.FlushAsync(["../etc/000000000001-a.parquet"], CancellationToken.None));
}
