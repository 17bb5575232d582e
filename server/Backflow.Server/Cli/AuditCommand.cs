using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Backflow.Server.Audit;
using Backflow.Server.Hosting;
using Spectre.Console;

namespace Backflow.Server.Cli;

/// <summary><c>backflow-server audit [--since …] [--agent …] [--dataset …]</c>: who obtained what, newest first.</summary>
internal static class AuditCommand
{
    public static Command Build()
    {
        var since = new Option<string?>("--since") { Description = "Only records at or after this time, e.g. 2026-11-01 or 2026-11-26T08:00:00+08:00" };
        var agent = new Option<string?>("--agent") { Description = "Only records of this agent id" };
        var dataset = new Option<string?>("--dataset") { Description = "Only records of this dataset" };
        var limit = new Option<int>("--limit") { Description = "At most this many records (1 or more)", DefaultValueFactory = _ => 200 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--limit must be 1 or more");
            }
        });
        var json = GlobalOptions.Json();
        var command = new Command("audit", "Show the append-only audit trail: publishes, enrollments, grants, revocations, downloads, failed authentications")
        {
            since, agent, dataset, limit, json,
        };
        command.SetAction(async parse =>
        {
            using var cli = CliContext.OpenExisting(parse);
            var records = cli.Get<AuditLog>().Query(ParseSince(parse.GetValue(since)), parse.GetValue(agent), parse.GetValue(dataset), parse.GetValue(limit));
            if (records.Count == 0)
            {
                // An empty answer for a mistyped id reads as "that agent never downloaded anything"; say which filter matched nothing.
                AuditFilters.EnsureKnown(cli, parse.GetValue(agent), parse.GetValue(dataset));
            }

            if (parse.GetValue(json))
            {
                await cli.Output.WriteLineAsync(JsonSerializer.Serialize(records, ServerJson.Options));
                return 0;
            }

            var table = new Table().AddColumns("time (UTC)", "kind", "actor", "agent", "dataset", "region", "seq", "bytes", "detail");
            foreach (var r in records)
            {
                table.AddRow(Markup.Escape(r.At), Markup.Escape(r.Kind), Markup.Escape(r.Actor), Markup.Escape(r.AgentId ?? ""), Markup.Escape(r.Dataset ?? ""),
                    Markup.Escape(r.Region ?? ""), r.Sequence?.ToString(CultureInfo.InvariantCulture) ?? "", r.Bytes?.ToString("N0", CultureInfo.InvariantCulture) ?? "", Markup.Escape(r.Detail ?? ""));
            }

            cli.Console.Write(table);
            cli.Console.WriteLine($"{records.Count} record(s)");
            return 0;
        });
        return command;
    }

    private static DateTimeOffset? ParseSince(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new UserError($"--since '{text}' is not a time; use e.g. 2026-11-01 or 2026-11-26T08:00:00+08:00");
    }
}
