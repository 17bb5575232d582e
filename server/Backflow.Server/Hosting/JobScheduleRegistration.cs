using Quartz;

namespace Backflow.Server.Hosting;

/// <summary>Schedules every registered <see cref="IJobSchedule"/> on the host's Quartz scheduler at start-up.</summary>
internal sealed class JobScheduleRegistration(ISchedulerFactory factory, IEnumerable<IJobSchedule> schedules) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        foreach (var schedule in schedules)
        {
            await schedule.ScheduleAsync(scheduler, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
