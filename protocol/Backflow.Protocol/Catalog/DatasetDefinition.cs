using System.Collections.Frozen;

namespace Backflow.Protocol.Catalog;

/// <summary>
/// A validated catalog entry: identity, share attributes and schema of one dataset.
/// Construct through <see cref="CatalogReader"/>, which enforces every rule of the catalog format.
/// </summary>
public sealed class DatasetDefinition
{
    private readonly FrozenDictionary<string, int> _ordinals;

    internal DatasetDefinition(
        string id,
        string title,
        string provider,
        ShareType shareType,
        UpdateCycle updateCycle,
        string regionColumn,
        IReadOnlyList<string> primaryKey,
        IReadOnlyList<ColumnDefinition> columns,
        bool datasetWideRows = false)
    {
        DatasetWideRows = datasetWideRows;
        Id = id;
        Title = title;
        Provider = provider;
        ShareType = shareType;
        UpdateCycle = updateCycle;
        RegionColumn = regionColumn;
        PrimaryKey = primaryKey;
        Columns = columns;
        _ordinals = columns.Select((c, i) => (c.Name, i)).ToFrozenDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        RegionOrdinal = _ordinals[regionColumn];
        KeyOrdinals = primaryKey.Select(k => _ordinals[k]).ToArray();
        SchemaText = SchemaCanonicalizer.CanonicalText(this);
        SchemaHash = SchemaCanonicalizer.Hash(SchemaText);
    }

    /// <summary>Dataset id: lowercase letters, digits and hyphens, e.g. <c>market-entities</c>.</summary>
    public string Id { get; }

    /// <summary>Human title, e.g. 市场主体登记信息.</summary>
    public string Title { get; }

    /// <summary>The department that provides and is accountable for the data.</summary>
    public string Provider { get; }

    /// <summary>Share attribute.</summary>
    public ShareType ShareType { get; }

    /// <summary>Promised update cycle.</summary>
    public UpdateCycle UpdateCycle { get; }

    /// <summary>Name of the column that holds the row's GB/T 2260 region code.</summary>
    public string RegionColumn { get; }

    /// <summary>
    /// Whether rows may carry region <c>000000</c>: dataset-wide rows (code tables, reference data) that every grantee
    /// of the dataset receives, whatever its scope. Off unless the catalog entry says <c>"datasetWideRows": true</c>,
    /// because one such row of a register reaches every county. A share attribute, not part of the schema hash.
    /// </summary>
    public bool DatasetWideRows { get; }

    /// <summary>Primary key column names, in key order.</summary>
    public IReadOnlyList<string> PrimaryKey { get; }

    /// <summary>Columns in catalog order; rows and extract files use this order.</summary>
    public IReadOnlyList<ColumnDefinition> Columns { get; }

    /// <summary>Ordinal of the region column within <see cref="Columns"/>.</summary>
    public int RegionOrdinal { get; }

    /// <summary>Ordinals of the key columns within <see cref="Columns"/>, in key order.</summary>
    public IReadOnlyList<int> KeyOrdinals { get; }

    /// <summary>The canonical schema text (see protocol/CANONICAL.md) from which <see cref="SchemaHash"/> is computed.</summary>
    public string SchemaText { get; }

    /// <summary>Lowercase hex SHA-256 of <see cref="SchemaText"/> in UTF-8.</summary>
    public string SchemaHash { get; }

    /// <summary>Returns the ordinal of a column, or -1 when the dataset has no such column.</summary>
    public int OrdinalOf(string columnName) => _ordinals.GetValueOrDefault(columnName, -1);
}
