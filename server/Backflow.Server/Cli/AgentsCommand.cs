using System.CommandLine;
using System.Text.Json;
using Backflow.Server.Agents;
using Backflow.Server.Hosting;
using Backflow.Server.Publishing;
using Spectre.Console;

namespace Backflow.Server.Cli;

/// <summary><c>backflow-server agents add|list|revoke|grant|ungrant</c>.</summary>
internal static class AgentsCommand
{
    private static readonly Option<string?> ApprovedBy = new("--approved-by")
    {
        Description = "Who approved access to conditional datasets (name or approval document number); recorded with the grant",
    };

    public static Command Build()
    {
        var command = new Command("agents", "Create county agents, enroll them, grant and revoke datasets");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        command.Subcommands.Add(Grant());
        command.Subcommands.Add(Ungrant());
        return command;
    }

    private static Option<string?> DatasetsOption(bool required) =>
        new("--datasets") { Description = "Comma-separated dataset ids, e.g. market-entities,household-changes", Required = required };

    private static Argument<string> AgentId() => new("agent-id") { Description = "The agent's id, as printed by `agents add` and `agents list`" };

    private static Command Add()
    {
        var name = new Option<string?>("--name") { Description = "A name people recognise, e.g. \"西湖区数据资源管理局\"" };
        var regions = new Option<string?>("--regions") { Description = "Comma-separated GB/T 2260 codes the agent may receive, e.g. 330106 or 330100 (a whole prefecture)" };
        var datasets = DatasetsOption(required: false);
        var fromFile = new Option<string?>("--from-file")
        {
            Description = "Create many agents at once from a CSV file with the header name,regions,datasets[,approved_by] (lists inside a field separated by ';'); the whole file is checked first",
        };
        var encoding = GlobalOptions.Encoding();
        var json = GlobalOptions.Json();
        var command = new Command("add", "Create an agent (or many, --from-file) and print its one-time enrollment code (valid 72 hours)")
        {
            name, regions, datasets, ApprovedBy, fromFile, encoding, json,
        };
        command.SetAction(async parse =>
        {
            using var cli = CliContext.Create(parse);
            var registry = cli.Get<AgentRegistry>();
            var file = parse.GetValue(fromFile);
            if (file is not null)
            {
                if (parse.GetValue(name) is not null || parse.GetValue(regions) is not null || parse.GetValue(datasets) is not null || parse.GetValue(ApprovedBy) is not null)
                {
                    throw new UserError("--from-file takes every agent's name, regions, datasets and approval from the file; leave out --name, --regions, --datasets and --approved-by");
                }

                var created = AgentBatchFile.Read(file, PublishEncodings.Parse(parse.GetValue(encoding)), registry).Select(r => registry.Add(r.Name, r.Regions, r.Datasets, r.ApprovedBy, CliContext.Actor)).ToList();
                await WriteAsync(cli, created, parse.GetValue(json));
                return 0;
            }

            var missing = new[] { ("--name", parse.GetValue(name)), ("--regions", parse.GetValue(regions)), ("--datasets", parse.GetValue(datasets)) }
                .Where(o => o.Item2 is null).Select(o => o.Item1).ToArray();
            if (missing.Length > 0)
            {
                throw new UserError($"{string.Join(", ", missing)} missing; give --name, --regions and --datasets for one agent, or --from-file for many");
            }

            var namesake = registry.List().FirstOrDefault(a => a.RevokedAt is null && a.Name == parse.GetValue(name)!.Trim());
            var agent = registry.Add(parse.GetValue(name)!, parse.GetValue(regions)!, SplitList(parse.GetValue(datasets)), parse.GetValue(ApprovedBy), CliContext.Actor);
            if (namesake is not null)
            {
                // Allowed (a county may run two agents), but usually a re-issue: say so, on stderr so --json stays clean.
                await parse.InvocationConfiguration.Error.WriteLineAsync(
                    $"note: agent {namesake.AgentId} (regions {namesake.Regions}) already has the name '{namesake.Name}'; if the new agent replaces it, "
                    + $"revoke the old one: backflow-server agents revoke {namesake.AgentId}");
            }

            if (parse.GetValue(json))
            {
                await cli.Output.WriteLineAsync(JsonSerializer.Serialize(agent, ServerJson.Options));
                return 0;
            }

            cli.Console.MarkupLineInterpolated($"agent [bold]{agent.AgentId}[/] ({agent.Name}) created for regions {agent.Regions}, datasets {string.Join(", ", agent.Datasets)}");
            cli.Console.MarkupLineInterpolated($"enrollment code: [bold]{agent.EnrollmentCode}[/]  (one use, expires {agent.ExpiresAt})");
            cli.Console.WriteLine("Give the code to the county's IT, who runs: backflow-agent enroll --server <this server's URL> --code <code>");
            return 0;
        });
        return command;
    }

    private static async Task WriteAsync(CliContext cli, IReadOnlyList<NewAgent> created, bool json)
    {
        if (json)
        {
            await cli.Output.WriteLineAsync(JsonSerializer.Serialize(created, ServerJson.Options));
            return;
        }

        var table = new Table().AddColumns("agent", "name", "regions", "datasets", "enrollment code", "expires");
        foreach (var agent in created)
        {
            table.AddRow(Markup.Escape(agent.AgentId), Markup.Escape(agent.Name), Markup.Escape(agent.Regions), Markup.Escape(string.Join(", ", agent.Datasets)),
                Markup.Escape(agent.EnrollmentCode), Markup.Escape(agent.ExpiresAt));
        }

        cli.Console.Write(table);
        cli.Console.WriteLine($"{created.Count} agents created. Give each code to its county's IT, who runs: backflow-agent enroll --server <this server's URL> --code <code>");
    }

    private static Command List()
    {
        var json = GlobalOptions.Json();
        var command = new Command("list", "List agents, their scope, grants and state") { json };
        command.SetAction(async parse =>
        {
            using var cli = CliContext.OpenExisting(parse);
            var agents = cli.Get<AgentRegistry>().List();
            if (parse.GetValue(json))
            {
                await cli.Output.WriteLineAsync(JsonSerializer.Serialize(agents, ServerJson.Options));
                return 0;
            }

            var table = new Table().AddColumns("agent", "name", "regions", "datasets", "state", "last seen");
            foreach (var agent in agents)
            {
                table.AddRow(
                    Markup.Escape(agent.AgentId),
                    Markup.Escape(agent.Name),
                    Markup.Escape(agent.Regions),
                    Markup.Escape(string.Join(", ", agent.Grants.Select(g => g.ApprovedBy is null ? g.Dataset : $"{g.Dataset} (approved by {g.ApprovedBy})"))),
                    Markup.Escape(agent.State),
                    Markup.Escape(agent.LastSeenAt ?? "never"));
            }

            cli.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Revoke()
    {
        var id = AgentId();
        var command = new Command("revoke", "Revoke an agent: its token stops working at once") { id };
        command.SetAction(parse =>
        {
            using var cli = CliContext.Create(parse);
            cli.Get<AgentRegistry>().Revoke(parse.GetValue(id)!, CliContext.Actor);
            cli.Console.MarkupLineInterpolated($"agent {parse.GetValue(id)} revoked");
            return 0;
        });
        return command;
    }

    private static Command Grant()
    {
        var id = AgentId();
        var datasets = DatasetsOption(required: true);
        var command = new Command("grant", "Grant datasets to an agent (conditional datasets need --approved-by)") { id, datasets, ApprovedBy };
        command.SetAction(parse =>
        {
            using var cli = CliContext.Create(parse);
            var list = SplitList(parse.GetValue(datasets));
            cli.Get<AgentRegistry>().Grant(parse.GetValue(id)!, list, parse.GetValue(ApprovedBy), CliContext.Actor);
            cli.Console.MarkupLineInterpolated($"granted {string.Join(", ", list)} to {parse.GetValue(id)}");
            return 0;
        });
        return command;
    }

    private static Command Ungrant()
    {
        var id = AgentId();
        var datasets = DatasetsOption(required: true);
        var command = new Command("ungrant", "Withdraw datasets from an agent") { id, datasets };
        command.SetAction(parse =>
        {
            using var cli = CliContext.Create(parse);
            var list = SplitList(parse.GetValue(datasets));
            cli.Get<AgentRegistry>().Ungrant(parse.GetValue(id)!, list, CliContext.Actor);
            cli.Console.MarkupLineInterpolated($"withdrew {string.Join(", ", list)} from {parse.GetValue(id)}");
            return 0;
        });
        return command;
    }

    internal static IReadOnlyList<string> SplitList(string? text) =>
        (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } items
            ? items
            : throw new UserError("--datasets is empty; give one or more dataset ids separated by commas");
}
