using Microsoft.Extensions.Logging.Console;

namespace Backflow.Agent.Hosting;

/// <summary>
/// Builds the host every command runs in. Configuration is <c>appsettings.json</c> beside the executable (a service's
/// working directory is not where it was installed) plus environment variables such as <c>BACKFLOW__PROXY</c>.
/// </summary>
internal static class AgentHost
{
    public const string ServiceName = "BackflowAgent";

    public static HostApplicationBuilder CreateBuilder(
        string state, bool service, Action<IServiceCollection>? configure, Action<IConfigurationBuilder>? configureConfiguration = null)
    {
        HostApplicationBuilder builder;
        var options = new AgentOptions();
        try
        {
            builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] });
            configureConfiguration?.Invoke(builder.Configuration);
            builder.Configuration.GetSection(AgentOptions.SectionName).Bind(options);
        }
        catch (InvalidDataException e) when (e.Message.StartsWith("Failed to load configuration", StringComparison.Ordinal))
        {
            // The inner exception says where the JSON is broken (line and position).
            var reasons = new List<string>();
            for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            {
                reasons.Add(inner.Message);
            }

            throw new AgentConfigurationException($"{e.Message.TrimEnd('.')}: {(reasons.Count == 0 ? "unreadable" : string.Join(" ", reasons))}");
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            throw new AgentConfigurationException($"{e.Message} {FormatHint(e.Message)}".TrimEnd());
        }

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
        // A command prints one line saying what failed and what to check; retry warnings would only bury it.
        builder.Logging.AddFilter("Polly", service ? LogLevel.Warning : LogLevel.None);
        builder.Logging.AddFilter("Quartz", LogLevel.Warning);

        builder.Services.AddBackflowAgent(options);
        configure?.Invoke(builder.Services);
        return builder;
    }

    private static string FormatHint(string message) =>
        message.Contains("System.TimeSpan", StringComparison.Ordinal) ? "Write a duration as hh:mm:ss in quotes, e.g. \"00:00:02\" for two seconds."
        : message.Contains("System.Int32", StringComparison.Ordinal) ? "Write a whole number without quotes, e.g. 5."
        : message.Contains("System.Boolean", StringComparison.Ordinal) ? "Write true or false."
        : message.Contains("System.Uri", StringComparison.Ordinal) ? "Write a full address, e.g. https://backflow.example.gov.cn"
        : string.Empty;
}
