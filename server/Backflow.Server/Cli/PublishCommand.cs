using System.CommandLine;
using System.Text.Json;
using Backflow.Server.Catalog;
using Backflow.Server.Hosting;
using Backflow.Server.Publishing;
using Spectre.Console;

namespace Backflow.Server.Cli;

/// <summary><c>backflow-server publish --dataset … --file …</c>: publishes a changeset from files.</summary>
internal static class PublishCommand
{
    private static readonly Option<string> Dataset = new("--dataset") { Description = "Dataset id from the catalog, e.g. market-entities", Required = true };
    private static readonly Option<FileInfo> File = new("--file") { Description = "Changes: CSV or Parquet with one column per catalog column (leave out to only delete)" };
    private static readonly Option<FileInfo?> Deletes = new("--deletes") { Description = "Keys to delete: CSV with the key columns" };
    private static readonly Option<string> Encoding = GlobalOptions.Encoding();
    private static readonly Option<string?> PublishId = new("--publish-id") { Description = "Idempotency id: publishing the same id again returns the first result and publishes nothing" };
    private static readonly Option<bool> Json = GlobalOptions.Json();

    public static Command Build()
    {
        var command = new Command("publish", "Publish a changeset: validate every row, route by region, write one signed extract per touched region (all or nothing)");
        command.Options.Add(Dataset);
        command.Options.Add(File);
        command.Options.Add(Deletes);
        command.Options.Add(Encoding);
        command.Options.Add(PublishId);
        command.Options.Add(Json);
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var cli = CliContext.Create(parse);
        var file = parse.GetValue(File);
        var deletes = parse.GetValue(Deletes);
        if (file is null && deletes is null)
        {
            throw new UserError("nothing to publish: give --file (changes, CSV or Parquet), --deletes (keys to delete, CSV), or both");
        }

        if (file is not null)
        {
            CliFiles.RequireFile(file, "--file");
        }

        if (deletes is not null)
        {
            CliFiles.RequireFile(deletes, "--deletes");
        }

        var encoding = PublishEncodings.Parse(parse.GetValue(Encoding));
        await using var changes = file is null ? NoChanges.For(cli.Get<CatalogService>().Get(parse.GetValue(Dataset)!)) : file.OpenRead();
        await using var deleteStream = deletes?.OpenRead();
        var request = new PublishRequest(parse.GetValue(Dataset)!, changes, deleteStream, encoding, parse.GetValue(PublishId), CliContext.Actor);
        var json = parse.GetValue(Json);
        try
        {
            var result = json
                ? await cli.Get<Publisher>().PublishAsync(request, cancellationToken)
                : await PublishWithProgressAsync(cli, request, (file?.Length ?? 0) + (deletes?.Length ?? 0), cancellationToken);
            if (json)
            {
                await cli.Output.WriteLineAsync(JsonSerializer.Serialize(result, ServerJson.Options));
            }
            else
            {
                PublishOutput.Write(cli.Console, result);
            }

            return 0;
        }
        catch (PublishRejectedException rejected)
        {
            await PublishOutput.WriteRejectedAsync(cli, rejected, json);
            return 1;
        }
    }

    private static async Task<PublishResult> PublishWithProgressAsync(CliContext cli, PublishRequest request, long bytes, CancellationToken cancellationToken)
    {
        // Small inputs finish before a progress bar would be seen; only show it when it helps.
        if (bytes < 4 * 1024 * 1024 || !cli.Console.Profile.Capabilities.Interactive)
        {
            return await cli.Get<Publisher>().PublishAsync(request, cancellationToken);
        }

        PublishResult? result = null;
        await cli.Console.Status().StartAsync("reading rows…", async context =>
        {
            var progress = new Progress<long>(rows => context.Status($"validated and routed {rows:N0} rows…"));
            result = await cli.Get<Publisher>().PublishAsync(request with { Progress = progress }, cancellationToken);
        });
        return result!;
    }
}
