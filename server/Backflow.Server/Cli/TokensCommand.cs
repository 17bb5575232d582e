using System.CommandLine;
using System.Text.Json;
using Backflow.Server.Hosting;
using Backflow.Server.Security;
using Spectre.Console;

namespace Backflow.Server.Cli;

/// <summary><c>backflow-server tokens add|list|revoke</c>.</summary>
internal static class TokensCommand
{
    public static Command Build()
    {
        var command = new Command("tokens", "Publisher and operator tokens");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Command Add()
    {
        var role = new Option<string>("--role") { Description = "publisher (may publish changesets) or operator (fleet status and audit)", Required = true };
        role.AcceptOnlyFromAmong("publisher", "operator");
        var datasets = new Option<string?>("--datasets") { Description = "Publisher tokens only: limit to these comma-separated dataset ids [default: all]" };
        var json = GlobalOptions.Json();
        var command = new Command("add", "Create a token and print it once; only its SHA-256 is stored") { role, datasets, json };
        command.SetAction(async parse =>
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
        return command;
    }

    private static Command List()
    {
        var all = new Option<bool>("--all") { Description = "Include revoked tokens [default: active tokens only]" };
        var json = GlobalOptions.Json();
        var command = new Command("list", "List publisher and operator tokens (ids, roles, datasets; never the tokens): active ones, or all with --all")
        {
            all, json,
        };
        command.SetAction(async parse =>
        {
            using var cli = CliContext.OpenExisting(parse);
            var tokens = cli.Get<TokenRegistry>().List(parse.GetValue(all));
            if (parse.GetValue(json))
            {
                await cli.Output.WriteLineAsync(JsonSerializer.Serialize(tokens, ServerJson.Options));
                return 0;
            }

            var table = new Table().AddColumns("token", "role", "datasets", "created", "revoked");
            foreach (var token in tokens)
            {
                table.AddRow(
                    Markup.Escape(token.TokenId),
                    Markup.Escape(token.Role),
                    Markup.Escape(token.Datasets is null ? "all" : string.Join(", ", token.Datasets)),
                    Markup.Escape(token.CreatedAt),
                    Markup.Escape(token.RevokedAt ?? "-"));
            }

            cli.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("token-id") { Description = "The token's id, as printed by `tokens add` and `tokens list`" };
        var json = GlobalOptions.Json();
        var command = new Command("revoke", "Revoke a publisher or operator token: it stops working at once") { id, json };
        command.SetAction(async parse =>
        {
            using var cli = CliContext.Create(parse);
            var token = cli.Get<TokenRegistry>().Revoke(parse.GetValue(id)!, CliContext.Actor);
            if (parse.GetValue(json))
            {
                await cli.Output.WriteLineAsync(JsonSerializer.Serialize(token, ServerJson.Options));
                return 0;
            }

            cli.Console.MarkupLineInterpolated($"token {token.TokenId} ({token.Role}) revoked at {token.RevokedAt}");
            return 0;
        });
        return command;
    }
}
