using Backflow.Agent.Reconciliation;
using Quartz;

namespace Backflow.Agent.Scheduling;

/// <summary>
/// The scheduled <c>backflow-agent verify</c> of every feed held locally. It never runs beside a sync of the same
/// feed because <see cref="VerifyService"/> takes that feed's <see cref="Sync.FeedLock"/>, the lock the sync takes;
/// <see cref="DisallowConcurrentExecutionAttribute"/> only keeps two verifies apart.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class VerifyJob(VerifyService verify, ILogger<VerifyJob> logger) : IJob
{
    /// <summary>
    /// How long to wait for a running sync of a feed: long enough for a sync to finish, so a verify that fires in
    /// the same second as a sync (they share the agent's offset) is delayed rather than skipped for a week.
    /// </summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromMinutes(15);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var result in await verify.VerifyAsync(null, cancellationToken, LockWait))
            {
                LogFeed(logger, result.Dataset, result.Region, result.Verified ? "verified" : result.Skipped ? "skipped" : "diverged", result.Sequence, result.Error);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A job that throws is only logged by Quartz, without saying it was the verify.
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled verify of {Dataset}/{Region}: {Outcome} at sequence {Sequence} {Error}")]
    private static partial void LogFeed(ILogger logger, string dataset, string region, string outcome, long sequence, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled verify failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
