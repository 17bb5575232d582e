using Backflow.Server.Agents;
using Backflow.Server.Audit;
using Backflow.Server.Catalog;
using Backflow.Server.Keys;
using Backflow.Server.Metadata;
using Backflow.Server.Publishing;
using Backflow.Server.Rebasing;
using Backflow.Server.Retention;
using Backflow.Server.Security;
using Backflow.Server.Snapshots;
using Backflow.Server.Status;
using Backflow.Server.Storage;

namespace Backflow.Server.Hosting;

/// <summary>DI wiring shared by the HTTP host and the CLI commands, so both act on the same data the same way.</summary>
internal static class ServerServices
{
    /// <param name="configuration">Settings beyond the folders (the extract store); null means the embedded defaults.</param>
    public static IServiceCollection AddBackflowServer(this IServiceCollection services, ServerPaths paths, IConfiguration? configuration = null)
    {
        services.AddSingleton(paths);
        // The web host brings its own logging (TryAdd: this adds nothing there); CLI commands get loggers that write nowhere.
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MetadataDatabase>();
        services.AddSingleton(sp => CatalogService.Load(sp.GetRequiredService<ServerPaths>()));
        services.AddBackflowStorage(configuration);
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<WriteBatcher>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AgentRegistry>();
        services.AddSingleton<TokenRegistry>();
        services.AddSingleton<SecurityGeneration>();
        services.AddSingleton<LastSeenWriter>();
        services.AddSingleton<Publisher>();
        services.AddBackflowSnapshots();
        services.AddBackflowRebasing();
        services.AddBackflowRetention();
        services.AddBackflowStatus();
        return services;
    }
}
