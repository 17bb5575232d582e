using Quartz;

namespace Backflow.Server.Hosting;

/// <summary>A feature's scheduled jobs. Register implementations in DI; <see cref="JobScheduleRegistration"/>
/// schedules all of them when the host starts.</summary>
internal interface IJobSchedule
{
    Task ScheduleAsync(IScheduler scheduler, CancellationToken cancellationToken);
}
