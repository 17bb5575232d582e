using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Backflow.Server.Hosting;
using Backflow.Server.Publishing;
using Backflow.Server.Rebasing;
using Spectre.Console;

namespace Backflow.Server.Cli;

/// <summary>
/// <c>backflow-server rebase --dataset … [--file …]</c>: moves a dataset onto the catalog's changed schema. Every region
/// starts a new generation from a snapshot under the new schema; agents rebuild their table from it.
/// </summary>
internal static class RebaseCommand
{
    private static readonly Option<string> Dataset = new("--dataset") { Description = "Dataset id from the catalog", Required = true };
    private static readonly Option<FileInfo?> File = new("--file")
    {
        Description = "Every live row under the new schema (CSV or Parquet, like a changes file): replaces all rows. Needed for a type, key or "
            + "nullability change; without it the server re-encodes the rows it holds, which only works when columns were removed",
    };

    private static readonly Option<string> Encoding = GlobalOptions.Encoding();
    private static readonly Option<bool> Json = GlobalOptions.Json();

    public static Command Build()
    {
        var command = new Command("rebase", "Re-base a dataset onto the catalog's changed schema: new generation with a snapshot in every region; agents rebuild their table");
        command.Options.Add(Dataset);
        command.Options.Add(File);
        command.Options.Add(Encoding);
        command.Options.Add(Json);
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        using var cli = CliContext.Create(parse);
        var file = parse.GetValue(File);
        if (file is not null)
        {
            CliFiles.RequireFile(file, "--file");
        }

        await using var rows = file?.OpenRead();
        var request = new RebaseRequest(parse.GetValue(Dataset)!, rows, PublishEncodings.Parse(parse.GetValue(Encoding)), CliContext.Actor);
        var json = parse.GetValue(Json);
        RebaseResult result;
        try
        {
            result = await cli.Get<Rebaser>().RebaseAsync(request, ct);
        }
        catch (PublishRejectedException rejected)
        {
            await PublishOutput.WriteRejectedAsync(cli, rejected, json);
            return 1;
        }

        if (json)
        {
            await cli.Output.WriteLineAsync(JsonSerializer.Serialize(result, ServerJson.Options));
            return 0;
        }

        var c = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("region", "sequence", "generation", "rows", "checksum", "bytes");
        foreach (var s in result.Snapshots)
        {
            table.AddRow(s.Region, s.Sequence.ToString(c), s.Generation.ToString(c), s.Rows.ToString(c), s.Checksum, s.Bytes.ToString(c));
        }

        cli.Console.Write(table);
        cli.Console.WriteLine(string.Create(c,
            $"Re-based {result.Dataset} ({result.Reason}): schema version {result.OldSchemaVersion?.ToString(c) ?? "-"} → {result.NewSchemaVersion}, {result.Rows} rows in {result.Snapshots.Count} region(s)."));
        if (result.Change is not null)
        {
            cli.Console.WriteLine("Schema change: " + result.Change);
        }

        cli.Console.WriteLine("Agents load the new snapshots at their next sync and rebuild their table where its schema no longer fits. Restart `backflow-server run` if it was started before the catalog changed.");
        return 0;
    }
}
