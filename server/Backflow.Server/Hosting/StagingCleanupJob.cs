using Quartz;

namespace Backflow.Server.Hosting;

/// <summary>
/// Removes staging leftovers of publishes and uploads that crashed. Only folders untouched for a day are
/// removed, so a publish running right now (from the CLI or another server instance) is never disturbed.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class StagingCleanupJob(ServerPaths paths, TimeProvider time, ILogger<StagingCleanupJob> logger) : IJob
{
    public static readonly TimeSpan MinimumAge = TimeSpan.FromDays(1);

    /// <summary>Hourly, at minute 17.</summary>
    internal sealed class Schedule : IJobSchedule
    {
        public async Task ScheduleAsync(IScheduler scheduler, CancellationToken cancellationToken)
        {
            var job = JobBuilder.Create<StagingCleanupJob>().WithIdentity("staging-cleanup").Build();
            var trigger = TriggerBuilder.Create().WithIdentity("staging-cleanup-hourly").WithCronSchedule("0 17 * * * ?").Build();
            await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
        }
    }


    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - MinimumAge;
        if (!Directory.Exists(paths.StagingDirectory))
        {
            return ValueTask.CompletedTask;
        }

        foreach (var entry in new DirectoryInfo(paths.StagingDirectory).EnumerateFileSystemInfos())
        {
            if (entry.LastWriteTimeUtc >= cutoff.UtcDateTime)
            {
                continue;
            }

            try
            {
                if (entry is DirectoryInfo directory)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }

                logger.LogInformation("Removed staging leftover {Path}", entry.FullName);
            }
            catch (IOException e)
            {
                logger.LogWarning(e, "Could not remove staging leftover {Path}", entry.FullName);
            }
        }

        return ValueTask.CompletedTask;
    }
}
