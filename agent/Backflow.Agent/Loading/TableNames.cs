using System.Collections.Frozen;
using Backflow.Agent.Loading.Sqlite;

namespace Backflow.Agent.Loading;

/// <summary>
/// Maps a dataset id to the name of its table: by default the id with '-' replaced by '_'
/// (<c>market-entities</c> → <c>market_entities</c>), or a per-dataset override from configuration.
/// </summary>
internal sealed class TableNames
{
    // Both targets name their state tables alike (PostgresStateStore in its schema, SqliteStateStore in the file).
    private static readonly string[] Reserved = [SqliteStateStore.StateTable, SqliteStateStore.RunsTable, SqliteStateStore.HealthTable];

    private readonly FrozenDictionary<string, string> _overrides;

    /// <param name="overrides">Dataset id → table name, for sites whose local database already has a naming scheme.</param>
    public TableNames(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (dataset, table) in overrides ?? new Dictionary<string, string>())
        {
            map[dataset] = Check(table, $"the table name configured for dataset '{dataset}'");
        }

        _overrides = map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static TableNames Default { get; } = new();

    /// <summary>The validated table name of <paramref name="datasetId"/>.</summary>
    /// <exception cref="ArgumentException">The resulting name is not a usable identifier.</exception>
    public string Resolve(string datasetId)
    {
        ArgumentNullException.ThrowIfNull(datasetId);
        return _overrides.TryGetValue(datasetId, out var table)
            ? table
            : Check(datasetId.Replace('-', '_'), $"the table name derived from dataset '{datasetId}'");
    }

    private static string Check(string table, string what)
    {
        SqlIdentifiers.Require(table, what);
        if (Reserved.Contains(table, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{what} '{table}' is one of Backflow's own state tables; configure another name");
        }

        return table;
    }
}
