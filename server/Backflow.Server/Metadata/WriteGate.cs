using System.Collections.Concurrent;

namespace Backflow.Server.Metadata;

/// <summary>
/// Queues this process's writers to one metadata database in arrival order before they ask SQLite for its write lock.
/// </summary>
/// <remarks>
/// SQLite's busy handler is not first-come-first-served: a waiting writer sleeps and retries, and under a stream of
/// small writes (a download audit row per request from hundreds of agents) a long one such as a publish could keep
/// losing the race until its client gave up (seen in the 200-agent fault trial). Async waiters on a
/// <see cref="SemaphoreSlim"/> are released in order, so each writer waits only for the ones that came before it.
/// Other processes (the CLI next to a running server) are still arbitrated by SQLite's busy timeout.
/// </remarks>
internal sealed class WriteGate
{
    private static readonly ConcurrentDictionary<string, WriteGate> Gates = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _semaphore = new(1, 1);

    private WriteGate()
    {
    }

    /// <summary>The gate of the database file at <paramref name="path"/>, shared by every connection of this process.</summary>
    public static WriteGate For(string path) => Gates.GetOrAdd(Path.GetFullPath(path), _ => new WriteGate());

    /// <summary>Waits for this process's earlier writers to finish; the turn lasts until the result is disposed.</summary>
    /// <exception cref="TimeoutException">Another writer of this process held the database longer than <paramref name="timeout"/>.</exception>
    public IDisposable Enter(TimeSpan timeout)
    {
        // WaitAsync, not Wait: only queued async waiters are released strictly in order.
        if (!_semaphore.WaitAsync(timeout).GetAwaiter().GetResult())
        {
            throw new TimeoutException($"the metadata database stayed busy with another write of this server for {timeout.TotalSeconds:0} s; try again, and check for a publish or snapshot still running");
        }

        return new Turn(_semaphore);
    }

    private sealed class Turn(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
