using System.Text.Json;
using Backflow.Server.Hosting;
using Backflow.Server.Publishing;
using Spectre.Console;

namespace Backflow.Server.Cli;

/// <summary>Readable output of a publish: one line per region and the totals, or the list of problems.</summary>
internal static class PublishOutput
{
    public static void Write(IAnsiConsole console, PublishResult result)
    {
        if (result.Repeated)
        {
            console.MarkupLineInterpolated($"[yellow]publish id {result.PublishId} was already published at {result.PublishedAt}; nothing new was published. Its result:[/]");
        }

        var table = new Table().AddColumns("region", "sequence", "upserts", "deletes");
        foreach (var region in result.Regions)
        {
            table.AddRow(region.Region, region.Sequence.ToString("N0"), region.Upserts.ToString("N0"), region.Deletes.ToString("N0"));
        }

        table.AddRow("[bold]total[/]", string.Empty, $"[bold]{result.Upserts:N0}[/]", $"[bold]{result.Deletes:N0}[/]");
        console.Write(table);
        console.MarkupLineInterpolated(
            $"publish [bold]{result.PublishId}[/] of [bold]{result.Dataset}[/]: {result.RowsRead:N0} rows read, {result.Regions.Count} region(s) changed, {result.Unchanged:N0} unchanged rows skipped, {result.DeletesNotFound:N0} deletes of keys that did not exist");
    }

    /// <summary>A rejected changeset (publish or re-base file): its problems as JSON with --json, else as lines.</summary>
    public static async Task WriteRejectedAsync(CliContext cli, PublishRejectedException rejected, bool json)
    {
        if (json)
        {
            await cli.Output.WriteLineAsync(JsonSerializer.Serialize(
                new { error = rejected.Message, problemCount = rejected.Problems.TotalCount, problems = rejected.Problems.Items.Select(p => p.ToString()) }, ServerJson.Options));
        }
        else
        {
            WriteProblems(cli.Console, rejected);
        }
    }

    public static void WriteProblems(IAnsiConsole console, PublishRejectedException rejected)
    {
        console.MarkupLineInterpolated($"[red]rejected:[/] the changeset for {rejected.Dataset} has {rejected.Problems.TotalCount:N0} problem(s). Nothing was published and no sequence was used.");
        foreach (var problem in rejected.Problems.Items)
        {
            console.WriteLine("  " + problem);
        }

        if (rejected.Problems.TotalCount > rejected.Problems.Items.Count)
        {
            console.MarkupLineInterpolated($"  … and {rejected.Problems.TotalCount - rejected.Problems.Items.Count:N0} more. Fix these and publish again.");
        }
    }
}
