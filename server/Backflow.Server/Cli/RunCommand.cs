using System.CommandLine;
using Backflow.Server.Hosting;
using Backflow.Server.Rebasing;

namespace Backflow.Server.Cli;

/// <summary><c>backflow-server run [--urls …]</c>: hosts the HTTP API until stopped.</summary>
internal static class RunCommand
{
    private static readonly Option<string?> Urls = new("--urls")
    {
        Description = "Addresses to listen on, e.g. http://127.0.0.1:5080 or https://0.0.0.0:5443 [default: http://127.0.0.1:5080, or Kestrel settings in appsettings.json]",
    };

    public static Command Build()
    {
        var command = new Command("run", "Run the HTTP API (the default when no command is given)");
        command.Options.Add(Urls);
        command.SetAction((parse, ct) => RunAsync(parse, parse.GetValue(Urls), ct));
        return command;
    }

    public static async Task<int> RunAsync(ParseResult parse, string? urls, CancellationToken cancellationToken)
    {
        await using var app = ServerHost.Build([], parse.GetValue(GlobalOptions.Data), parse.GetValue(GlobalOptions.Catalog), urls);
        PendingRebases.Log(app.Services);
        await ListenAddresses.StartAsync(app, cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }
}
