namespace Backflow.Server.Rebasing;

/// <summary>DI wiring of re-bases (shared by the host and the CLI).</summary>
internal static class RebaseServices
{
    public static IServiceCollection AddBackflowRebasing(this IServiceCollection services) => services.AddSingleton<Rebaser>();
}
