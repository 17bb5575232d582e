using System.CommandLine;
using System.Text.Json;
using Backflow.Server.Hosting;
using Backflow.Server.Security;
using Spectre.Console;

namespace Backflow.Server.Cli;

/// <summary><c>backflow-server tokens add --role publisher|operator [--datasets …]</c>.</summary>
internal static class TokensCommand
{
    public static Command Build()
    {
        var role = new Option<string>("--role") { Description = "publisher (may publish changesets) or operator (fleet status and audit)", Required = true };
        role.AcceptOnlyFromAmong("publisher", "operator");
        var datasets = new Option<string?>("--datasets") { Description = "Publisher tokens only: limit to these comma-separated dataset ids [default: all]" };
        var json = GlobalOptions.Json();
        var add = new Command("add", "Create a token and print it once; only its SHA-256 is stored") { role, datasets, json };
        add.SetAction(async parse =>
        {
            using var cli = CliContext.Create(parse);
            var list = parse.GetValue(datasets) is { } text ? AgentsCommand.SplitList(text) : null;
            var (tokenId, token) = cli.Get<TokenRegistry>().Add(parse.GetValue(role)!, list, CliContext.Actor);
            if (parse.GetValue(json))
            {
                await cli.Output.WriteLineAsync(JsonSerializer.Serialize(new { tokenId, role = parse.GetValue(role), token }, ServerJson.Options));
                return 0;
            }

            cli.Console.MarkupLineInterpolated($"token [bold]{tokenId}[/] ({parse.GetValue(role)}):");
            cli.Console.WriteLine(token);
            cli.Console.WriteLine("Store it now: it is not shown again and cannot be recovered (the server keeps only its hash).");
            return 0;
        });
        var command = new Command("tokens", "Publisher and operator tokens");
        command.Subcommands.Add(add);
        return command;
    }
}
