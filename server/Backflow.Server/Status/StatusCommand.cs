using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Backflow.Server.Cli;
using Backflow.Server.Hosting;
using Backflow.Server.Rebasing;
using Spectre.Console;

namespace Backflow.Server.Status;

/// <summary><c>backflow-server status [--lagging] [--json]</c>: who has what, who is behind, and why.</summary>
internal static class StatusCommand
{
    public static Command Build()
    {
        var lagging = new Option<bool>("--lagging") { Description = "Only feeds that are not current (behind, late, blocked, never synced)" };
        var json = GlobalOptions.Json();
        var command = new Command("status", "Show every agent's feeds: latest and applied sequence, lag, last run and its error") { lagging, json };
        command.SetAction(async parse =>
        {
            using var cli = CliContext.OpenExisting(parse);
            var status = StatusFilter.Apply(cli.Get<StatusService>().Compute(), parse.GetValue(lagging));
            if (parse.GetValue(json))
            {
                await cli.Output.WriteLineAsync(JsonSerializer.Serialize(status, ServerJson.Options));
                return 0;
            }

            Write(cli.Console, status);
            return 0;
        });
        return command;
    }

    private static void Write(IAnsiConsole console, FleetStatus status)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("agent", "dataset", "region", "latest", "applied", "lag", "lag time", "state", "last seen (UTC)", "last run", "error", "verified");
        foreach (var f in status.Feeds)
        {
            table.AddRow(
                Markup.Escape($"{f.AgentName} ({f.AgentId})"),
                Markup.Escape(f.Dataset),
                f.Region,
                f.LatestSequence.ToString(c),
                f.AppliedSequence?.ToString(c) ?? "-",
                f.LagExtracts.ToString(c),
                f.LagExtracts == 0 ? "" : DurationText.OfSeconds(f.LagSeconds),
                $"[{Colour(f.State)}]{f.State}[/]",
                f.LastSeenAt is { } seen ? Time(seen) : "never",
                Markup.Escape(f.LastOutcome is null ? "none" : $"{f.LastOutcome} {Time(f.LastRunAt!.Value)}"),
                Markup.Escape(f.LastError ?? ""),
                f.LastVerification ?? "never");
        }

        console.Write(table);
        WriteRebases(console, status.Rebases);
        var t = status.Totals;
        console.WriteLine(string.Create(c,
            $"{t.Agents} agent(s), {t.AgentsSeen} seen in the last day; {t.Feeds} feed(s): {t.Current} current, {t.Behind} behind, {t.Late} late, {t.Blocked} blocked, {t.NeverSynced} never synced; {t.LagExtracts} extract(s) not yet applied"));
    }

    private static void WriteRebases(IAnsiConsole console, IReadOnlyList<RebaseRecord> rebases)
    {
        if (rebases.Count == 0)
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        var table = new Table().Title("re-bases (newest first)").AddColumns("at (UTC)", "dataset", "reason", "schema", "generation", "regions", "rows", "by", "change");
        foreach (var r in rebases)
        {
            table.AddRow(
                Time(r.At),
                Markup.Escape(r.Dataset),
                r.Reason,
                $"{r.OldSchemaVersion?.ToString(c) ?? "-"} → {r.NewSchemaVersion.ToString(c)}",
                r.Generation.ToString(c),
                Markup.Escape(string.Join(",", r.Regions)),
                r.Rows.ToString(c),
                Markup.Escape(r.Actor),
                Markup.Escape(r.Change ?? string.Empty));
        }

        console.Write(table);
    }

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Colour(string state) => state switch
    {
        FeedStates.Current => "green",
        FeedStates.Behind => "yellow",
        FeedStates.Late => "darkorange",
        FeedStates.Blocked => "red",
        _ => "grey",
    };
}
