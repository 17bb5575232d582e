using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Backflow.Agent.Sync;
using Spectre.Console;

namespace Backflow.Agent.Cli;

/// <summary>`backflow-agent status [--json]`: read from the local database only, so it works while the server is unreachable.</summary>
internal static class StatusCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (for monitoring scripts) instead of a table." };
        var command = new Command("status", "Shows every feed: dataset, region, applied sequence, latest known sequence, lag, last success, last error, whether it is blocked, and row count. Exit code 1 if any feed is blocked or behind.")
        {
            json,
        };
        command.SetAction((parse, ct) => context.GuardAsync(parse, async output =>
        {
            using var host = context.BuildHost(parse, service: false);

            // Before anything is created: a mistyped --state must not leave a new folder and database behind.
            context.RequireEnrolled(parse);
            var feeds = await host.Services.GetRequiredService<StatusReader>().ReadAsync(ct);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new { feeds }, Json));
            }
            else
            {
                Render(feeds, output);
            }

            return feeds.Any(f => f.Blocked || f.Lag > 0 || f.LastError is not null) ? ExitCodes.NotCurrent : ExitCodes.Ok;
        }));
        return command;
    }

    private static void Render(IReadOnlyList<FeedStatus> feeds, TextWriter output)
    {
        if (feeds.Count == 0)
        {
            output.WriteLine("No feeds yet: run `backflow-agent sync` (or start the service) after enrolling.");
            return;
        }

        var table = new Table().AddColumns("dataset", "region", "applied", "latest", "lag", "rows", "last success", "verified", "blocked", "last error");
        foreach (var f in feeds)
        {
            table.AddRow(
                Markup.Escape(f.Dataset), f.Region, Text(f.AppliedSequence), Text(f.LatestKnownSequence), Text(f.Lag), Text(f.RowCount),
                f.LastSuccessAt?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "never",
                Verified(f),
                Markup.Escape(f.Diverged ? Divergence.Advice(f.Dataset) : f.Blocked ? "BLOCKED" : "no"), Markup.Escape(f.LastError ?? string.Empty));
        }

        Consoles.For(output).Write(table);
        foreach (var f in feeds.Where(f => f.Diverged))
        {
            output.WriteLine($"{f.Dataset}/{f.Region}: {Divergence.Advice(f.Dataset)}");
        }

        if (feeds.Any(f => f.Blocked && !f.Diverged))
        {
            output.WriteLine("A blocked feed failed verification 3 times in a row; see the quarantine folder, then run `backflow-agent sync --retry-blocked`.");
        }
    }

    private static string Verified(FeedStatus f) => f.VerifiedAt is not { } at
        ? "never"
        : $"{(f.Verification == "verified" ? "verified" : "DIVERGED")} at sequence {Text(f.VerifiedSequence ?? 0)}, {at.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
