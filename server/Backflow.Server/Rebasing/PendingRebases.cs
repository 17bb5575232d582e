using Backflow.Server.Catalog;
using Backflow.Server.Metadata;

namespace Backflow.Server.Rebasing;

/// <summary>
/// Says at server start which datasets' catalog entries changed in a breaking way since their last publish, with the
/// command that re-bases each: otherwise the operator learns it only from the next refused publish.
/// </summary>
internal static partial class PendingRebases
{
    public static IReadOnlyList<RebaseRequiredException> Find(MetadataDatabase database, CatalogService catalog)
    {
        var pending = new List<RebaseRequiredException>();
        using var connection = database.Open();
        foreach (var dataset in catalog.All)
        {
            try
            {
                SchemaGate.EnsurePublishable(connection, null, dataset);
            }
            catch (RebaseRequiredException e)
            {
                pending.Add(e);
            }
        }

        return pending;
    }

    public static void Log(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PendingRebases).FullName!);
        foreach (var pending in Find(services.GetRequiredService<MetadataDatabase>(), services.GetRequiredService<CatalogService>()))
        {
            LogPending(logger, pending.Dataset, pending.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dataset {Dataset} needs a re-base before anything more is published: {Detail}")]
    private static partial void LogPending(ILogger logger, string dataset, string detail);
}
