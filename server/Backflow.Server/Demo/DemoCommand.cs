using System.CommandLine;
using Backflow.Server.Cli;

namespace Backflow.Server.Demo;

/// <summary><c>backflow-server demo</c>: the product end to end on one machine, from a fresh folder, in one command.</summary>
internal static class DemoCommand
{
    private static readonly Option<string> Urls = new("--urls")
    {
        Description = "Address for the demo's server and dashboard; http://127.0.0.1:0 picks a free port",
        DefaultValueFactory = _ => "http://127.0.0.1:5080",
    };

    private static readonly Option<int> SyncSeconds = new("--sync-interval")
    {
        Description = "Seconds between the agents' syncs",
        DefaultValueFactory = _ => 15,
    };

    public static Command Build()
    {
        var command = new Command(
            "demo",
            "Run a self-contained demo until Ctrl+C: a fresh server in --data (default ./backflow-demo, wiped on every run), synthetic " +
            "杭州市 data for the three sample datasets with follow-up changesets, and three agents syncing in this process, one left behind")
        {
            Urls,
            SyncSeconds,
        };
        command.SetAction((parse, ct) =>
        {
            var seconds = parse.GetValue(SyncSeconds);
            if (seconds < 1)
            {
                throw new Hosting.UserError($"--sync-interval {seconds}: give a number of seconds, 1 or more");
            }

            var settings = new DemoSettings(
                parse.GetValue(GlobalOptions.Data) ?? DemoFolder.DefaultPath,
                parse.GetValue(GlobalOptions.Catalog),
                parse.GetValue(Urls)!,
                TimeSpan.FromSeconds(seconds));
            return new DemoRunner(settings, parse.InvocationConfiguration.Output).RunAsync(ct);
        });
        return command;
    }
}
