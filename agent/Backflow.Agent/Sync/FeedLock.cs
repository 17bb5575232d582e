namespace Backflow.Agent.Sync;

/// <summary>
/// An exclusive lock file per feed, so that a `backflow-agent sync` typed in a terminal never runs alongside the
/// service's scheduled sync of the same feed (Quartz only prevents overlap inside one process).
/// </summary>
internal sealed class FeedLock : IDisposable
{
    private readonly FileStream _stream;

    private FeedLock(FileStream stream) => _stream = stream;

    public static FeedLock? TryAcquire(string folder, string dataset, string region)
    {
        Directory.CreateDirectory(folder);
        try
        {
            var stream = new FileStream(
                Path.Combine(folder, $"{dataset}.{region}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            return new FeedLock(stream);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
