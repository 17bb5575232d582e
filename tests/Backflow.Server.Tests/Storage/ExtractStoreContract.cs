using Backflow.Server.Storage;

namespace Backflow.Server.Tests.Storage;

/// <summary>
/// What every extract store must do, run against each implementation: immutable, create-only objects (so no reader
/// ever sees half a publish or a replaced file), listing by prefix, seekable reads for ranges, idempotent deletes.
/// </summary>
public abstract class ExtractStoreContract : IDisposable
{
    private readonly TempDirectory _temp = new();

    internal abstract IExtractStore Store { get; }

    protected string Staging => _temp.Path;

    [Fact]
    public async Task A_committed_object_reads_back_byte_for_byte_and_its_staging_file_is_gone()
    {
        var bytes = Bytes(300_000, 1);
        var staging = Stage(bytes);

        await Store.CommitAsync(staging, "ds/330106/000000000001-a.parquet", CancellationToken.None);

        Assert.Equal(bytes, await ReadAllAsync("ds/330106/000000000001-a.parquet"));
        Assert.False(File.Exists(staging));
    }

    [Fact]
    public async Task A_second_commit_of_a_name_fails_and_the_original_bytes_stay()
    {
        var original = Bytes(1000, 1);
        await Store.CommitAsync(Stage(original), "ds/330106/000000000001-a.parquet", CancellationToken.None);
        var second = Stage(Bytes(1000, 2));

        await Assert.ThrowsAsync<ExtractExistsException>(() => Store.CommitAsync(second, "ds/330106/000000000001-a.parquet", CancellationToken.None));

        Assert.Equal(original, await ReadAllAsync("ds/330106/000000000001-a.parquet"));
        Assert.True(File.Exists(second), "a refused commit leaves its staging file to the caller's clean-up");
    }

    [Fact]
    public async Task Two_publishers_racing_for_one_name_exactly_one_wins_and_its_bytes_are_whole()
    {
        var candidates = Enumerable.Range(1, 4).Select(i => Bytes(200_000, i)).ToArray();
        var staged = candidates.Select(Stage).ToArray();

        var outcomes = await Task.WhenAll(staged.Select(async file =>
        {
            await Task.Yield();
            try
            {
                await Store.CommitAsync(file, "ds/330106/000000000007-race.parquet", CancellationToken.None);
                return true;
            }
            catch (ExtractExistsException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes, won => won);
        var stored = await ReadAllAsync("ds/330106/000000000007-race.parquet");
        Assert.Equal(candidates[Array.IndexOf(outcomes, true)], stored);
    }

    [Fact]
    public async Task Listing_returns_every_name_under_the_prefix_and_nothing_else()
    {
        foreach (var name in new[] { "ds/330106/000000000002-b.parquet", "ds/330106/000000000001-a.parquet", "ds/330108/000000000001-c.parquet", "other/330106/000000000001-d.parquet" })
        {
            await Store.CommitAsync(Stage(Bytes(10, 1)), name, CancellationToken.None);
        }

        Assert.Equal(["ds/330106/000000000001-a.parquet", "ds/330106/000000000002-b.parquet"], await ListAsync("ds/330106/"));
        Assert.Equal(3, (await ListAsync("ds/")).Count);
        Assert.Empty(await ListAsync("none/"));
    }

    [Fact]
    public async Task A_read_stream_seeks_so_ranges_read_only_their_bytes()
    {
        var bytes = Bytes(3 * 1024 * 1024 + 17, 3);
        await Store.CommitAsync(Stage(bytes), "ds/330106/000000000001-a.parquet", CancellationToken.None);

        await using var stream = await Store.OpenReadAsync("ds/330106/000000000001-a.parquet", CancellationToken.None);
        Assert.True(stream.CanSeek);
        Assert.Equal(bytes.Length, stream.Length);
        foreach (var offset in new long[] { bytes.Length - 100, 5, 2 * 1024 * 1024 - 3 })
        {
            stream.Seek(offset, SeekOrigin.Begin);
            var part = new byte[100];
            await stream.ReadExactlyAsync(part);
            Assert.Equal(bytes.AsSpan((int)offset, 100).ToArray(), part);
        }
    }

    [Fact]
    public async Task Delete_removes_an_object_and_deleting_again_or_a_never_stored_name_is_fine()
    {
        await Store.CommitAsync(Stage(Bytes(10, 1)), "ds/330106/000000000001-a.parquet", CancellationToken.None);

        await Store.DeleteAsync("ds/330106/000000000001-a.parquet", CancellationToken.None);
        await Store.DeleteAsync("ds/330106/000000000001-a.parquet", CancellationToken.None);
        await Store.DeleteAsync("never/000000/000000000001-x.parquet", CancellationToken.None);

        Assert.Empty(await ListAsync("ds/"));
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.OpenReadAsync("ds/330106/000000000001-a.parquet", CancellationToken.None));
    }

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected string Stage(byte[] bytes)
    {
        var path = Path.Combine(Staging, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    protected async Task<byte[]> ReadAllAsync(string name)
    {
        await using var stream = await Store.OpenReadAsync(name, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<List<string>> ListAsync(string prefix)
    {
        var names = new List<string>();
        await foreach (var name in Store.ListAsync(prefix, CancellationToken.None))
        {
            names.Add(name);
        }

        return names;
    }
}
