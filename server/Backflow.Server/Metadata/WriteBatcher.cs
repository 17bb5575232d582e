using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Metadata;

/// <summary>
/// Request handlers' small writes (download and refusal audit rows, run reports, direct-download audits, agents'
/// last-seen times) queue here and commit together, many per transaction, on one background loop. Each write's task
/// completes when its transaction has committed, so a caller that awaits it acknowledges nothing before it is durable.
/// <para>
/// Why: each of those writes used to take SQLite's write lock inline, blocking a thread-pool thread in SQLite's busy
/// handler while a publish held the lock. A publish holds it across awaits (reading the upload, writing extracts),
/// and its continuations need the very threads those writers were blocking: under 200 agents downloading, a 300-row
/// publish sometimes got no answer within a minute. Now at most one thread here waits for the lock, and a hundred
/// downloads cost one commit instead of a hundred.
/// </para>
/// </summary>
internal sealed class WriteBatcher(MetadataDatabase database)
{
    /// <summary>The most writes in one transaction, so one batch never holds the lock for long.</summary>
    internal const int MaxBatch = 500;

    /// <summary>
    /// The pause after a commit when more writes are already waiting. Without it the loop would take the lock again
    /// within microseconds of releasing it, and a publish waiting in SQLite's busy handler (which sleeps and retries)
    /// could keep missing the gap; meanwhile the queue grows and the next batch is larger, so throughput is kept.
    /// </summary>
    private static readonly TimeSpan GapUnderLoad = TimeSpan.FromMilliseconds(5);

    // Not SingleReader: that channel cannot count what is queued, which the pause under load needs.
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>();

    private int _started;
    private long _transactions;

    /// <summary>Transactions committed or attempted so far (for tests: fewer than writes means batching happened).</summary>
    internal long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Queues a write; the task completes once its transaction has committed, or faults with the write's own error.</summary>
    public Task WriteAsync(Action<SqliteConnection, SqliteTransaction> write)
    {
        var pending = new PendingWrite(write, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Writer.TryWrite(pending);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = Task.Run(DrainAsync);
        }

        return pending.Done.Task;
    }

    private async Task DrainAsync()
    {
        var batch = new List<PendingWrite>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            Commit(batch);
            batch.Clear();
            if (_queue.Reader.Count > 0)
            {
                await Task.Delay(GapUnderLoad);
            }
        }
    }

    private void Commit(IReadOnlyList<PendingWrite> batch)
    {
        Interlocked.Increment(ref _transactions);
        try
        {
            using var connection = database.Open();
            using var transaction = MetadataDatabase.BeginWrite(connection);
            foreach (var pending in batch)
            {
                pending.Write(connection, transaction);
            }

            transaction.Commit();
            foreach (var pending in batch)
            {
                pending.Done.TrySetResult();
            }
        }
        catch (Exception e) when (batch.Count > 1 && !IsLockTimeout(e))
        {
            // One write failed (a constraint, a bad value): commit the others alone, so only its own caller sees the error.
            foreach (var pending in batch)
            {
                Commit([pending]);
            }
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }
        }
    }

    // Retrying each write alone after a lock timeout would wait out the timeout once per write.
    private static bool IsLockTimeout(Exception e) => e is SqliteException { SqliteErrorCode: 5 or 6 };

    private sealed record PendingWrite(Action<SqliteConnection, SqliteTransaction> Write, TaskCompletionSource Done);
}
