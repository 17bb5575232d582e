using System.CommandLine;
using Backflow.Server.Hosting;
using Spectre.Console;

namespace Backflow.Server.Cli;

/// <summary>What a CLI command works with: the services over the chosen data folder, and the console.</summary>
internal sealed class CliContext : IDisposable
{
    private readonly ServiceProvider _services;

    private CliContext(ServiceProvider services, IAnsiConsole console, TextWriter output)
    {
        _services = services;
        Console = console;
        Output = output;
    }

    public IAnsiConsole Console { get; }

    /// <summary>Plain output for --json, never decorated.</summary>
    public TextWriter Output { get; }

    /// <summary>The actor written into audit records for commands run at the server's console.</summary>
    public static string Actor => "cli:" + Environment.UserName;

    public static CliContext Create(ParseResult parse) => Create(parse, mustExist: false);

    /// <summary>For commands that only read: a mistyped --data must not silently create an empty server whose
    /// "0 agents" or new key fingerprint looks like an answer.</summary>
    public static CliContext OpenExisting(ParseResult parse) => Create(parse, mustExist: true);

    private static CliContext Create(ParseResult parse, bool mustExist)
    {
        var configuration = ServerLocations.LoadConfiguration();
        var paths = ServerLocations.Resolve(parse.GetValue(GlobalOptions.Data), parse.GetValue(GlobalOptions.Catalog), configuration);
        if (mustExist && !File.Exists(paths.MetadataDatabase))
        {
            throw new UserError($"no server data in {paths.DataDirectory} (it has no metadata.db); check --data (or Backflow:DataDirectory). "
                + "A new server's data folder is created by `run`, `publish`, `agents add`, `tokens add` or `keys show`");
        }
        var services = new ServiceCollection().AddBackflowServer(paths, configuration).BuildServiceProvider();
        var output = parse.InvocationConfiguration.Output;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (!console.Profile.Capabilities.Interactive || System.Console.IsOutputRedirected)
        {
            // Redirected output (logs, scripts, tests) must not be wrapped at an imaginary 80 columns.
            console.Profile.Width = 240;
        }

        return new CliContext(services, console, output);
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public void Dispose() => _services.Dispose();
}
