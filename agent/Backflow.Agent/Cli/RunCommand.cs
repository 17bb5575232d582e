using System.CommandLine;
using Backflow.Agent.Scheduling;
using Quartz;

namespace Backflow.Agent.Cli;

/// <summary>`backflow-agent run`: the service.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("run", "Runs the agent as a service (Windows service, systemd, or in this terminal until Ctrl+C): syncs every dataset now, then on its schedule (default every 10 minutes, Backflow:Schedules:<dataset> in appsettings.json), and verifies every held feed weekly (Backflow:VerifySchedule).");
        command.SetAction((parse, ct) => context.GuardAsync(parse, async _ =>
        {
            // Before the host starts: an unenrolled service would otherwise fail inside Quartz with a stack trace,
            // after creating the state folder of a mistyped --state.
            context.RequireEnrolled(parse);
            using var host = context.BuildHost(parse, service: true, services =>
            {
                services.AddQuartz();

                // Registered before the Quartz hosted service so the jobs exist when the scheduler starts.
                services.AddHostedService<ScheduleRegistration>();
                services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
            });
            await host.RunAsync(ct);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
