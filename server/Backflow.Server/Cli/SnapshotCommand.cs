using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Backflow.Server.Hosting;
using Backflow.Server.Snapshots;
using Spectre.Console;

namespace Backflow.Server.Cli;

/// <summary>
/// <c>backflow-server snapshot</c> and <c>backflow-server resync</c>: build snapshot extracts on demand; resync also
/// bumps the generation so that every agent re-baselines from the new snapshot.
/// </summary>
internal static class SnapshotCommand
{
    public static Command Build(bool resync)
    {
        var dataset = new Option<string>("--dataset") { Description = "Dataset id from the catalog", Required = true };
        var region = new Option<string?>("--region") { Description = "Only this region (six digits); default: every region published to" };
        var json = GlobalOptions.Json();
        var command = resync
            ? new Command("resync", "Re-base regions: new generation with a fresh snapshot; agents on an older generation reload from it at their next sync")
            : new Command("snapshot", "Build a snapshot of all live rows per region now, so new or late agents start from it instead of replaying every delta");
        command.Options.Add(dataset);
        command.Options.Add(region);
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            using var cli = CliContext.Create(parse);
            var results = await cli.Get<SnapshotBuilder>().BuildAsync(parse.GetValue(dataset)!, parse.GetValue(region), resync, CliContext.Actor, ct);
            if (parse.GetValue(json))
            {
                await cli.Output.WriteLineAsync(JsonSerializer.Serialize(new { snapshots = results }, ServerJson.Options));
                return 0;
            }

            var table = new Table().AddColumns("dataset", "region", "sequence", "generation", "rows", "checksum", "bytes");
            foreach (var r in results)
            {
                table.AddRow(Markup.Escape(r.Dataset), r.Region, Text(r.Sequence), Text(r.Generation), Text(r.Rows), r.Checksum, Text(r.Bytes));
            }

            cli.Console.Write(table);
            cli.Console.WriteLine(results.Count == 0 ? "Nothing published yet: no snapshot built." : $"{results.Count} snapshot(s) published.");
            return 0;
        });
        return command;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
