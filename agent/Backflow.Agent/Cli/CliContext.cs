using System.CommandLine;
using Backflow.Agent.Enrollment;
using Backflow.Agent.Feeds;
using Backflow.Agent.Hosting;
using Microsoft.Data.Sqlite;

namespace Backflow.Agent.Cli;

/// <summary>What every command shares: the global --state option and how to build the host.</summary>
internal sealed class CliContext(
    Option<string> state, Action<IServiceCollection>? configureServices, Action<IConfigurationBuilder>? configureConfiguration = null)
{
    // SQLite result codes (https://sqlite.org/rescode.html) that mean "fix the file or folder", not "bug".
    private const int SqliteReadOnly = 8;
    private const int SqliteCannotOpen = 14;

    private AgentOptions? _options;

    public Option<string> State { get; } = state;

    public IHost BuildHost(ParseResult parse, bool service, Action<IServiceCollection>? extra = null)
    {
        var builder = AgentHost.CreateBuilder(parse.GetValue(State)!, service, configureServices, configureConfiguration);
        extra?.Invoke(builder.Services);
        var host = builder.Build();
        _options = host.Services.GetRequiredService<AgentOptions>();
        return host;
    }

    /// <summary>The state folder of this invocation (not created).</summary>
    public StateFolder StateFolder(ParseResult parse) => new(parse.GetValue(State)!);

    /// <summary>
    /// Stops a command that needs an enrolled agent before it creates anything, e.g. when --state is mistyped.
    /// </summary>
    public AgentIdentity RequireEnrolled(ParseResult parse) => StateFolder(parse).ReadIdentity();

    /// <summary>Runs a command body and turns the errors a county IT person can fix into messages and exit codes.</summary>
    public async Task<int> GuardAsync(ParseResult parse, Func<TextWriter, Task<int>> body)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var command = parse.CommandResult.Command.Name;
        try
        {
            return await body(output);
        }
        catch (Exception e) when (e is AgentConfigurationException or NotEnrolledException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.UsageOrConfiguration;
        }
        catch (UnauthorizedAccessException e)
        {
            await error.WriteLineAsync($"error: {command}: {e.Message.TrimEnd('.')} for user '{Environment.UserName}'. {OwnershipAdvice(parse)}");
            return ExitCodes.UsageOrConfiguration;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteReadOnly or SqliteCannotOpen)
        {
            var database = DatabaseFile(parse);
            var problem = e.SqliteErrorCode == SqliteReadOnly
                ? $"the database '{database}' is read-only for user '{Environment.UserName}'"
                : $"cannot open the database '{database}' as user '{Environment.UserName}': its folder does not exist or is not writable";
            await error.WriteLineAsync($"error: {command}: {problem}. Check Backflow:ConnectionString; {OwnershipAdvice(parse)}");
            return ExitCodes.UsageOrConfiguration;
        }
        catch (Exception e) when (NetworkFailures.Describe(e, Server(parse)) is { } network)
        {
            await error.WriteLineAsync($"error: {command}: {network}");
            return ExitCodes.NotCurrent;
        }
        catch (Exception e) when (e is ServerProblemException or InvalidDataException or IOException
            or System.Security.Cryptography.CryptographicException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.NotCurrent;
        }
    }

    private string OwnershipAdvice(ParseResult parse) => OwnershipAdvice(StateFolder(parse).Root, OperatingSystem.IsWindows());

    /// <summary>How to give the state folder back to the service's account, in the words of the installer of each system
    /// (the systemd unit's user backflow-agent; install-agent.ps1's virtual account NT SERVICE\BackflowAgent).</summary>
    internal static string OwnershipAdvice(string folder, bool windows) => windows
        ? $"Run the command in an administrator prompt, or give the service's account the folder: icacls \"{folder}\" /grant \"NT SERVICE\\BackflowAgent:(OI)(CI)F\" /T"
        : $"Run the command as the service user (e.g. sudo -u backflow-agent backflow-agent …), or give the folder to that user: chown -R backflow-agent: {folder}";

    private string DatabaseFile(ParseResult parse)
    {
        var connection = _options?.ConnectionString;
        if (connection is null)
        {
            return Path.Combine(StateFolder(parse).Root, "backflow.db");
        }

        try
        {
            return new SqliteConnectionStringBuilder(connection).DataSource;
        }
        catch (ArgumentException)
        {
            return connection;
        }
    }

    private string? Server(ParseResult parse)
    {
        if (_options?.ServerUrl is { } configured)
        {
            return configured.GetLeftPart(UriPartial.Authority);
        }

        try
        {
            var folder = StateFolder(parse);
            return folder.IsEnrolled ? folder.ReadIdentity().ServerUrl.GetLeftPart(UriPartial.Authority) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
