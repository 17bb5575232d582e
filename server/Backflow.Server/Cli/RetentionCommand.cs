using System.CommandLine;
using System.Text.Json;
using Backflow.Server.Hosting;
using Backflow.Server.Retention;
using Spectre.Console;

namespace Backflow.Server.Cli;

/// <summary><c>backflow-server retention [--window-days N]</c>: run retention now (the scheduled job does it daily).</summary>
internal static class RetentionCommand
{
    public static Command Build()
    {
        var days = new Option<double?>("--window-days") { Description = "Keep extracts published in the last N days, N ≥ 0 (default: Backflow:Retention:Window, 30 days)" };
        days.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is < 0 or double.NaN)
            {
                result.AddError("--window-days must be 0 or more (days of extracts to keep); a negative window would remove everything");
            }
        });
        var json = GlobalOptions.Json();
        var command = new Command("retention", "Remove extracts older than each region's latest snapshot and the retention window, and record what was removed in the audit") { days, json };
        command.SetAction(async (parse, ct) =>
        {
            using var cli = CliContext.Create(parse);
            var window = parse.GetValue(days) is { } d ? TimeSpan.FromDays(d) : (ServerLocations.LoadConfiguration().GetSection(RetentionOptions.Section).Get<RetentionOptions>() ?? new RetentionOptions()).Window;
            var removed = await cli.Get<RetentionService>().RunAsync(window, CliContext.Actor, ct);
            if (parse.GetValue(json))
            {
                await cli.Output.WriteLineAsync(JsonSerializer.Serialize(new { removed }, ServerJson.Options));
                return 0;
            }

            foreach (var r in removed)
            {
                cli.Console.WriteLine($"{r.Dataset}/{r.Region}: removed {r.Extracts} extract(s), sequences {r.FromSequence}..{r.ToSequence}; oldest available {r.OldestSequence}");
            }

            cli.Console.WriteLine(removed.Count == 0 ? "Nothing to remove." : $"{removed.Count} feed(s) trimmed.");
            return 0;
        });
        return command;
    }
}
