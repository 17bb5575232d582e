using Backflow.Server.Hosting;

namespace Backflow.Server.Retention;

/// <summary>Wiring of retention (CLI and host) and of its scheduled job.</summary>
internal static class RetentionServices
{
    public static IServiceCollection AddBackflowRetention(this IServiceCollection services)
    {
        services.AddSingleton<RetentionService>();
        return services;
    }

    public static IServiceCollection AddBackflowRetentionJob(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section)
            .Validate(o => o.Window >= TimeSpan.Zero, $"{RetentionOptions.Section}:Window must not be negative")
            .Validate(o => Quartz.CronExpression.TryParse(o.Cron, out _), $"{RetentionOptions.Section}:Cron is not a valid Quartz cron expression")
            .ValidateOnStart();
        services.AddSingleton<IJobSchedule, RetentionJob.Schedule>();
        return services;
    }
}
