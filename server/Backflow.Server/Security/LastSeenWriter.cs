using Backflow.Server.Metadata;
using Dapper;

namespace Backflow.Server.Security;

/// <summary>
/// Writes agents' last-seen times off the request path. Any UPDATE takes SQLite's write lock and commits with an fsync;
/// done inline, a thousand agents coming back after a restart (or after their minute) made every poll queue behind
/// those commits (a profile of the poll benchmark: over half the server's time waited in TouchAgent). A poll now only
/// queues the write; <see cref="WriteBatcher"/> commits it with whatever else is waiting, so the times reach the
/// database within milliseconds and status and alerts see them as before. Times still queued when the process stops
/// are lost; the agent's next poll records it again.
/// </summary>
internal sealed class LastSeenWriter(WriteBatcher writes)
{
    public void Enqueue(string agentId, DateTimeOffset now)
    {
        var write = writes.WriteAsync((connection, transaction) => connection.Execute(
            "UPDATE agents SET last_seen_at = @now WHERE agent_id = @agentId AND (last_seen_at IS NULL OR last_seen_at < @threshold)",
            new { agentId, now = Timestamps.ToText(now), threshold = Timestamps.ToText(now.AddMinutes(-1)) },
            transaction));
        // Last-seen is advisory: a failed write is recorded again by the agent's next poll after its interval.
        _ = write.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>Waits until every time queued before this call has been written (or its write failed): the batcher
    /// commits in queue order, so an empty write queued now completes after all of them.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        writes.WriteAsync(static (_, _) => { }).WaitAsync(cancellationToken);
}
