namespace Backflow.Server.Status;

/// <summary>DI wiring of the status feature (shared by the host and the CLI).</summary>
internal static class StatusServices
{
    public static IServiceCollection AddBackflowStatus(this IServiceCollection services) => services.AddSingleton<StatusService>();
}
