using System.CommandLine;

namespace Backflow.Agent.Cli;

/// <summary>The `backflow-agent` command line.</summary>
internal sealed class AgentCli(Action<IServiceCollection>? configureServices = null, Action<IConfigurationBuilder>? configureConfiguration = null)
{
    public async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var state = new Option<string>("--state")
        {
            Description = "The agent's state folder: token, pinned keys, catalog, staging, quarantine and by default the SQLite database backflow.db. "
                + "Use the same folder for every command, e.g. /var/lib/backflow-agent or C:\\ProgramData\\Backflow\\agent.",
            DefaultValueFactory = _ => "./backflow-agent",
            Recursive = true,
        };
        var context = new CliContext(state, configureServices, configureConfiguration);
        var root = new RootCommand(
            "Backflow agent: pulls the datasets returned to this county from the provincial Backflow server, verifies every file's "
            + "signature and hash, and loads them into the local database. Typical use: `enroll` once, then install the service "
            + "(config/systemd or config/windows), and check it with `status`.")
        {
            EnrollCommand.Create(context),
            RunCommand.Create(context),
            SyncCommand.Create(context),
            StatusCommand.Create(context),
            VerifyCommand.Create(context),
            RepairCommand.Create(context),
        };
        root.Options.Add(state);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}");
            }

            await error.WriteLineAsync("Run `backflow-agent --help` (or `backflow-agent <command> --help`) to see the commands and options.");
            return ExitCodes.UsageOrConfiguration;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, ct);
    }
}
