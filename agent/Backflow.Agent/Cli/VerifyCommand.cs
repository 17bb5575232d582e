using System.CommandLine;
using System.Globalization;
using Backflow.Agent.Reconciliation;
using Spectre.Console;

namespace Backflow.Agent.Cli;

/// <summary>`backflow-agent verify [--dataset ID]`: prove the local copy is complete and untouched.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var dataset = new Option<string?>("--dataset") { Description = "Verify only this dataset's regions (default: every feed held locally)." };
        var command = new Command("verify", "Recomputes each region's row count and checksum from the local table (a full scan) and compares them with the applied state, which equals the server's. Exit code 0 if every region matches, 1 if any diverged (then run `repair`).")
        {
            dataset,
        };
        command.SetAction((parse, ct) => context.GuardAsync(parse, async output =>
        {
            using var host = context.BuildHost(parse, service: false);

            // Before anything is created: a mistyped --state must not leave a new folder and database behind.
            context.RequireEnrolled(parse);
            var results = await host.Services.GetRequiredService<VerifyService>().VerifyAsync(parse.GetValue(dataset), ct);
            var table = new Table().AddColumns("dataset", "region", "sequence", "result", "rows", "checksum");
            foreach (var r in results)
            {
                table.AddRow(Markup.Escape(r.Dataset), r.Region, r.Sequence.ToString(CultureInfo.InvariantCulture), r.Verified ? "verified" : r.Skipped ? "skipped (sync running)" : "DIVERGED",
                    r.RowCount.ToString(CultureInfo.InvariantCulture), r.Checksum);
            }

            Consoles.For(output).Write(table);
            foreach (var r in results.Where(r => !r.Verified))
            {
                output.WriteLine($"{r.Dataset}/{r.Region}: {r.Error}");
            }

            output.WriteLine(results.Count == 0 ? "Nothing held locally yet." : results.All(r => r.Verified) ? "Every region matches the server's checksum."
                : results.Any(r => !r.Verified && !r.Skipped) ? "Some regions diverged; the feeds are blocked until `backflow-agent repair` succeeds."
                : "Some regions were being synced and were not verified; run verify again.");
            return results.All(r => r.Verified) ? ExitCodes.Ok : ExitCodes.NotCurrent;
        }));
        return command;
    }
}
