using System.Collections.Frozen;
using Backflow.Protocol.Catalog;
using Backflow.Server.Hosting;

namespace Backflow.Server.Catalog;

/// <summary>The catalog folder, read and validated once at start-up: an invalid catalog stops the server with
/// every problem listed rather than failing later on one dataset.</summary>
internal sealed class CatalogService
{
    private readonly FrozenDictionary<string, DatasetDefinition> _datasets;

    public CatalogService(IEnumerable<DatasetDefinition> datasets)
    {
        _datasets = datasets.ToFrozenDictionary(d => d.Id, StringComparer.Ordinal);
    }

    public static CatalogService Load(ServerPaths paths) => new(CatalogReader.ReadDirectory(paths.CatalogDirectory));

    public IEnumerable<DatasetDefinition> All => _datasets.Values.OrderBy(d => d.Id, StringComparer.Ordinal);

    public DatasetDefinition? Find(string id) => _datasets.GetValueOrDefault(id);

    /// <summary>Returns the dataset or throws <see cref="UserError"/> naming the known ids.</summary>
    public DatasetDefinition Get(string id) =>
        Find(id) ?? throw new UserError($"unknown dataset '{id}'; the catalog has: {string.Join(", ", _datasets.Keys.Order(StringComparer.Ordinal))}");
}
