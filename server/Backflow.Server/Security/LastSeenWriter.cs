using System.Threading.Channels;
using Backflow.Server.Metadata;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Security;

/// <summary>
/// Writes agents' last-seen times off the request path, many agents per transaction. Any UPDATE takes SQLite's write
/// lock and commits with an fsync; done inline, a thousand agents coming back after a restart (or after their minute)
/// made every poll queue behind those commits (a profile of the poll benchmark: over half the server's time waited in
/// TouchAgent). A poll now only queues the agent id; the writer drains whatever has queued into one transaction, so
/// the times reach the database within milliseconds and status and alerts see them as before. Times still queued when
/// the process stops are lost; the agent's next poll records it again.
/// </summary>
internal sealed class LastSeenWriter(MetadataDatabase database)
{
    private readonly Channel<(string AgentId, DateTimeOffset Now)> _queue =
        Channel.CreateUnbounded<(string, DateTimeOffset)>(new UnboundedChannelOptions { SingleReader = true });

    private int _started;
    private long _enqueued;
    private long _written;

    public void Enqueue(string agentId, DateTimeOffset now)
    {
        Interlocked.Increment(ref _enqueued);
        _queue.Writer.TryWrite((agentId, now));
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = Task.Run(DrainAsync);
        }
    }

    /// <summary>Waits until every time queued before this call has been written (or its write failed).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _enqueued);
        while (Interlocked.Read(ref _written) < target)
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    private async Task DrainAsync()
    {
        var batch = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (await _queue.Reader.WaitToReadAsync())
        {
            long drained = 0;
            while (_queue.Reader.TryRead(out var seen))
            {
                batch[seen.AgentId] = seen.Now;
                drained++;
            }

            try
            {
                Write(batch);
            }
            catch (SqliteException)
            {
                // Last-seen is advisory: the agent's next poll after its interval records it again.
            }

            batch.Clear();
            Interlocked.Add(ref _written, drained);
        }
    }

    private void Write(Dictionary<string, DateTimeOffset> batch)
    {
        using var connection = database.Open();
        using var transaction = MetadataDatabase.BeginWrite(connection);
        foreach (var (agentId, now) in batch)
        {
            connection.Execute(
                "UPDATE agents SET last_seen_at = @now WHERE agent_id = @agentId AND (last_seen_at IS NULL OR last_seen_at < @threshold)",
                new { agentId, now = Timestamps.ToText(now), threshold = Timestamps.ToText(now.AddMinutes(-1)) },
                transaction);
        }

        transaction.Commit();
    }
}
