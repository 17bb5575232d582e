using Backflow.Server.Retention;
using Backflow.Server.Snapshots;
using Quartz;

namespace Backflow.Server.Hosting;

/// <summary>
/// The server's scheduled jobs run on Quartz.NET (in-memory store on the embedded default; the clustered
/// store is a configuration change). A feature adds jobs by registering an <see cref="IJobSchedule"/>.
/// </summary>
internal static class ServerJobs
{
    public static IServiceCollection AddBackflowJobs(this IServiceCollection services)
    {
        services.AddQuartz();
        services.AddSingleton<IJobSchedule, StagingCleanupJob.Schedule>();
        services.AddBackflowSnapshotJobs();
        services.AddBackflowRetentionJob();
        services.AddHostedService<JobScheduleRegistration>();
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return services;
    }
}
