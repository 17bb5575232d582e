using Microsoft.Extensions.Logging.Console;

namespace Backflow.Agent.Hosting;

/// <summary>
/// Builds the host every command runs in. Configuration is <c>appsettings.json</c> beside the executable (a service's
/// working directory is not where it was installed) plus environment variables such as <c>BACKFLOW__PROXY</c>.
/// </summary>
internal static class AgentHost
{
    public const string ServiceName = "BackflowAgent";

    public static HostApplicationBuilder CreateBuilder(string state, bool service, Action<IServiceCollection>? configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        var options = new AgentOptions();
        builder.Configuration.GetSection(AgentOptions.SectionName).Bind(options);
        options.StateDirectory = Path.GetFullPath(state);
        AgentOptionsValidator.Validate(options);

        if (service)
        {
            // Both are no-ops unless started by their service manager, so one binary serves Windows, systemd and a terminal.
            builder.Services.AddWindowsService(o => o.ServiceName = ServiceName);
            builder.Services.AddSystemd();
            if (OperatingSystem.IsWindows())
            {
                builder.Logging.AddEventLog(s =>
                {
                    if (OperatingSystem.IsWindows())
                    {
                        s.SourceName = "Backflow Agent";
                    }
                });
            }

            // Longer than a sync needs to finish its current extract; the systemd unit's TimeoutStopSec is longer still.
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        }
        else
        {
            // Commands print their results on stdout; logs go to stderr so that `status --json` stays parseable.
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        // Per-request HTTP, retry-attempt and scheduler internals drown the lines a county IT person needs
        // (what was applied, what failed and why); they stay available at Warning and above.
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Logging.AddFilter("Quartz", LogLevel.Warning);

        builder.Services.AddBackflowAgent(options);
        configure?.Invoke(builder.Services);
        return builder;
    }
}
