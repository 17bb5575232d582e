using Backflow.Server.Hosting;

namespace Backflow.Server.Snapshots;

/// <summary>Wiring of snapshot building (CLI and host) and of its scheduled job (host only).</summary>
internal static class SnapshotServices
{
    public static IServiceCollection AddBackflowSnapshots(this IServiceCollection services)
    {
        services.AddSingleton<SnapshotBuilder>();
        return services;
    }

    public static IServiceCollection AddBackflowSnapshotJobs(this IServiceCollection services)
    {
        services.AddOptions<SnapshotOptions>().BindConfiguration(SnapshotOptions.Section)
            .Validate(o => o.MinDeltas > 0 && o.MinChangedFraction > 0, $"{SnapshotOptions.Section}: MinDeltas and MinChangedFraction must be positive")
            .Validate(o => Quartz.CronExpression.TryParse(o.Cron, out _), $"{SnapshotOptions.Section}:Cron is not a valid Quartz cron expression")
            .ValidateOnStart();
        services.AddSingleton<IJobSchedule, SnapshotJob.Schedule>();
        return services;
    }
}
