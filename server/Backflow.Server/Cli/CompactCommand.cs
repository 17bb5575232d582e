using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Backflow.Server.Hosting;
using Backflow.Server.Metadata;
using Backflow.Server.Rows;
using Spectre.Console;

namespace Backflow.Server.Cli;

/// <summary><c>backflow-server compact</c>: give the metadata database's free pages back to the disk.</summary>
internal static class CompactCommand
{
    public static Command Build()
    {
        var json = GlobalOptions.Json();
        var command = new Command(
            "compact",
            "Give back the space of rows no key points at any more (each dataset's row file under rows/ is rewritten without them; needs free disk up to its size) and the metadata database's free space (SQLite VACUUM; needs free disk up to twice the size of the database), and rebuild a database made by an older build (4 KiB pages) with 16 KiB pages for faster publishes (stop the server first for that). It may run beside the server, but writes wait for it and fail after 60 s: for a database of several GB, stop the server first")
        {
            json,
        };
        command.SetAction(async parse =>
        {
            using var cli = CliContext.OpenExisting(parse);
            var database = cli.Get<MetadataDatabase>();
            // Row files first: rewriting one moves every key of its dataset, and the vacuum then gives back those pages too.
            var rowFiles = RowFileCompaction.Run(database);
            var result = MetadataCompaction.Run(database, cli.Get<ServerPaths>().MetadataDatabase) with { RowFiles = rowFiles };
            if (parse.GetValue(json))
            {
                await cli.Output.WriteLineAsync(JsonSerializer.Serialize(result, ServerJson.Options));
                return 0;
            }

            foreach (var rows in rowFiles)
            {
                cli.Console.WriteLine(rows.Rewritten
                    ? $"{rows.File}: {Size(rows.BytesBefore)} → {Size(rows.LiveBytes)} (rows no key points at any more given back)"
                    : $"{rows.File}: {Size(rows.BytesBefore)}, every row in use; nothing to do");
            }

            cli.Console.WriteLine(result.Vacuumed
                ? $"{result.File}: {Size(result.BytesBefore)} → {Size(result.BytesAfter)} ({Size(result.FreeBytesBefore)} of free pages given back)"
                : $"{result.File}: {Size(result.BytesBefore)}, no free pages; nothing to do");
            if (result.PageSizeAfter != result.PageSizeBefore)
            {
                cli.Console.WriteLine($"rebuilt with {result.PageSizeAfter / 1024} KiB pages (was {result.PageSizeBefore / 1024} KiB): publishes write the key index faster");
            }
            else if (result.PageSizeKept)
            {
                cli.Console.WriteLine(
                    $"kept its {result.PageSizeBefore / 1024} KiB pages: the server has the file open. Stop it and run compact again to rebuild with {MetadataDatabase.PageSize / 1024} KiB pages (faster publishes)");
            }

            return 0;
        });
        return command;
    }

    /// <summary>In MB, or in KB below one MB (a small dataset's row file would read 0.0 MB either side).</summary>
    private static string Size(long bytes) => bytes < 1048576
        ? (bytes / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " KB"
        : (bytes / 1048576.0).ToString("N1", CultureInfo.InvariantCulture) + " MB";
}
