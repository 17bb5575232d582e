using System.CommandLine;
using Backflow.Protocol.Catalog;
using Backflow.Server.Demo;
using Backflow.Server.Hosting;
using Backflow.Server.Rebasing;
using Backflow.Server.Status;

namespace Backflow.Server.Cli;

/// <summary>The <c>backflow-server</c> command line.</summary>
internal static class ServerCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var root = Build();
        // Our own handler below turns expected failures into one readable line instead of a stack trace.
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        if (output is not null)
        {
            configuration.Output = output;
        }

        if (error is not null)
        {
            configuration.Error = error;
        }

        try
        {
            return await root.Parse(args).InvokeAsync(configuration, cancellationToken);
        }
        catch (Exception e) when (e is UserError or RebaseRequiredException or CatalogException or DirectoryNotFoundException)
        {
            await configuration.Error.WriteLineAsync("error: " + e.Message);
            return 2;
        }
    }

    public static RootCommand Build()
    {
        var root = new RootCommand(
            """
            Backflow server: publishes catalogued datasets as signed, per-region incremental extracts for county agents,
            and keeps the record of who obtained what. Without a command it runs the HTTP API (same as `run`).
            """);
        root.Options.Add(GlobalOptions.Data);
        root.Options.Add(GlobalOptions.Catalog);
        var run = RunCommand.Build();
        root.Subcommands.Add(run);
        root.Subcommands.Add(PublishCommand.Build());
        root.Subcommands.Add(SnapshotCommand.Build(resync: false));
        root.Subcommands.Add(SnapshotCommand.Build(resync: true));
        root.Subcommands.Add(RebaseCommand.Build());
        root.Subcommands.Add(RetentionCommand.Build());
        root.Subcommands.Add(CompactCommand.Build());
        root.Subcommands.Add(AgentsCommand.Build());
        root.Subcommands.Add(TokensCommand.Build());
        root.Subcommands.Add(KeysCommand.Build());
        root.Subcommands.Add(AuditCommand.Build());
        root.Subcommands.Add(StatusCommand.Build());
        root.Subcommands.Add(DemoCommand.Build());
        root.SetAction((parse, ct) => RunCommand.RunAsync(parse, urls: null, ct));
        return root;
    }
}
