using System.CommandLine;
using Backflow.Agent.Sync;

namespace Backflow.Agent.Cli;

/// <summary>`backflow-agent repair --dataset ID [--region CODE]`: the documented answer to a divergence.</summary>
internal static class RepairCommand
{
    public static Command Create(CliContext context)
    {
        var dataset = new Option<string>("--dataset") { Description = "The dataset to repair, e.g. market-entities.", Required = true };
        var region = new Option<string?>("--region") { Description = "Only this region (default: every region of the dataset)." };
        var command = new Command("repair", "Re-baselines from the server's latest snapshot: the region's rows are replaced by the snapshot in one transaction, then the deltas after it apply. Use it when `verify` or a sync reports \"local copy diverged\".")
        {
            dataset,
            region,
        };
        command.SetAction((parse, ct) => context.GuardAsync(parse, async output =>
        {
            using var host = context.BuildHost(parse, service: false);

            // Before anything is created: a mistyped --state must not leave a new folder and database behind.
            context.RequireEnrolled(parse);
            var report = await host.Services.GetRequiredService<SyncService>().SyncAsync(
                parse.GetValue(dataset), retryBlocked: true, ct, parse.GetValue(region), rebaseline: true);
            SyncCommand.Render(report, output, parse.InvocationConfiguration.Error, "repair");
            return report.AllCurrent ? ExitCodes.Ok : ExitCodes.NotCurrent;
        }));
        return command;
    }
}
