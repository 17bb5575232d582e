using System.CommandLine;
using Backflow.Agent.Enrollment;
using Backflow.Agent.Feeds;
using Backflow.Agent.Hosting;

namespace Backflow.Agent.Cli;

/// <summary>What every command shares: the global --state option and how to build the host.</summary>
internal sealed class CliContext(Option<string> state, Action<IServiceCollection>? configureServices)
{
    public Option<string> State { get; } = state;

    public IHost BuildHost(ParseResult parse, bool service, Action<IServiceCollection>? extra = null)
    {
        var builder = AgentHost.CreateBuilder(parse.GetValue(State)!, service, configureServices);
        extra?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Runs a command body and turns the errors a county IT person can fix into messages and exit codes.</summary>
    public static async Task<int> GuardAsync(ParseResult parse, Func<TextWriter, Task<int>> body)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return await body(output);
        }
        catch (Exception e) when (e is AgentConfigurationException or NotEnrolledException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.UsageOrConfiguration;
        }
        catch (Exception e) when (e is ServerProblemException or HttpRequestException or InvalidDataException or IOException
            or System.Security.Cryptography.CryptographicException or Polly.Timeout.TimeoutRejectedException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.NotCurrent;
        }
    }
}
