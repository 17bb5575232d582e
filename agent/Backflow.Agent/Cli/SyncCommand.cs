using System.CommandLine;
using System.Globalization;
using Backflow.Agent.Enrollment;
using Backflow.Agent.Sync;
using Spectre.Console;

namespace Backflow.Agent.Cli;

/// <summary>`backflow-agent sync [--dataset ID] [--retry-blocked]`.</summary>
internal static class SyncCommand
{
    public static Command Create(CliContext context)
    {
        var dataset = new Option<string?>("--dataset")
        {
            Description = "Sync only this dataset's feeds, e.g. market-entities (default: every dataset granted to this agent).",
        };
        var retryBlocked = new Option<bool>("--retry-blocked")
        {
            Description = "Also try feeds that were blocked after repeated verification failures (see `status`), e.g. after the server fixed a bad file. A feed whose local copy diverged stays blocked: run `repair`.",
        };
        var command = new Command("sync", "Syncs now, once, and prints each feed's outcome. Exit code 0 only if every feed ends current; 1 otherwise; 2 for a usage or configuration error.")
        {
            dataset,
            retryBlocked,
        };
        command.SetAction((parse, ct) => context.GuardAsync(parse, async output =>
        {
            using var host = context.BuildHost(parse, service: false);

            // Before anything is created: a mistyped --state must not leave a new folder and database behind.
            var identity = context.RequireEnrolled(parse);
            var report = await host.Services.GetRequiredService<SyncService>().SyncAsync(parse.GetValue(dataset), parse.GetValue(retryBlocked), ct);
            if (report.Error is null && report.Feeds.Count == 0)
            {
                // Not "All feeds are current" under an empty table: a county must not believe it holds data it never got.
                await output.WriteLineAsync(NoFeeds(identity));
                return ExitCodes.Ok;
            }

            Render(report, output, parse.InvocationConfiguration.Error, "sync");
            return report.AllCurrent ? ExitCodes.Ok : ExitCodes.NotCurrent;
        }));
        return command;
    }

    /// <summary>Feeds exist once something is published for a region, so an empty list has two causes the agent cannot tell
    /// apart. (With --dataset, a dataset the server does not list is a failed feed in the report instead; see SyncService.)</summary>
    private static string NoFeeds(AgentIdentity identity) =>
        $"No feeds for agent '{identity.AgentId}' (regions {identity.Regions}) yet: nothing has been published for these regions in the datasets granted to it, or no dataset is granted. "
        + $"The provincial operator can check with `backflow-server agents list` and grant one with `backflow-server agents grant {identity.AgentId} --datasets <dataset-id>`.";

    /// <summary>The feeds' outcomes as a table on <paramref name="output"/>; when the feed list itself could not be read, one
    /// line on <paramref name="error"/> instead (where scripts and service logs look for failures), stdout left empty.</summary>
    public static void Render(SyncReport report, TextWriter output, TextWriter error, string command)
    {
        if (report.Error is not null)
        {
            error.WriteLine($"error: {command}: could not list feeds: {report.NetworkProblem ?? report.Error}");
            return;
        }

        var table = new Table().AddColumns("dataset", "region", "outcome", "applied", "latest", "rows", "error");
        foreach (var feed in report.Feeds)
        {
            table.AddRow(
                Markup.Escape(feed.Dataset), feed.Region, feed.OutcomeText,
                string.Create(CultureInfo.InvariantCulture, $"{feed.FromSequence}→{feed.ToSequence}"),
                feed.LatestSequence.ToString(CultureInfo.InvariantCulture), feed.Rows.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(feed.Error ?? string.Empty));
        }

        Consoles.For(output).Write(table);
        output.WriteLine(report.AllCurrent ? "All feeds are current." : "Not every feed is current; see `backflow-agent status`.");
    }
}
