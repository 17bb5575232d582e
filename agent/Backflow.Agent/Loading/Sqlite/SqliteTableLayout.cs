using Backflow.Protocol.Catalog;

namespace Backflow.Agent.Loading.Sqlite;

/// <summary>
/// The table a dataset is stored in and the SQL that reads and writes it. Columns keep their catalog names and
/// order. The stored primary key is the catalog key plus the region column (when the key lacks it): a row that
/// moved between regions arrives as an upsert in the new region's feed and a delete in the old one's, and the two
/// feeds are applied independently, so for a while the row legitimately belongs to both; with the bare catalog
/// key the upsert would overwrite the old region's row and corrupt that region's checksum.
/// The region column leads the key: a snapshot's region delete and verify's region scan are then range scans of
/// the primary key itself, so no separate region index has to be maintained on every insert.
/// </summary>
internal sealed class SqliteTableLayout
{
    public SqliteTableLayout(DatasetDefinition dataset, string table)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Dataset = dataset;
        Table = SqlIdentifiers.Require(table, "table");
        KeyOrdinals = [dataset.RegionOrdinal, .. dataset.KeyOrdinals.Where(o => o != dataset.RegionOrdinal)];
        var quotedTable = SqlIdentifiers.Quote(table);
        var names = dataset.Columns.Select(c => SqlIdentifiers.Quote(c.Name)).ToArray();
        var columnList = string.Join(", ", names);
        var valueList = string.Join(", ", names.Select((_, i) => Parameter(i)));
        var keyList = string.Join(", ", KeyOrdinals.Select(o => names[o]));
        var keyMatch = string.Join(" AND ", KeyOrdinals.Select((o, k) => $"{names[o]} = {KeyParameter(k)}"));
        var region = names[dataset.RegionOrdinal];
        var updates = Enumerable.Range(0, names.Length).Where(i => !KeyOrdinals.Contains(i)).Select(i => $"{names[i]} = excluded.{names[i]}").ToArray();

        InsertNew = $"INSERT INTO {quotedTable} ({columnList}) VALUES ({valueList}) ON CONFLICT ({keyList}) DO NOTHING";
        Upsert = $"INSERT INTO {quotedTable} ({columnList}) VALUES ({valueList}) ON CONFLICT ({keyList}) DO "
            + (updates.Length == 0 ? "NOTHING" : "UPDATE SET " + string.Join(", ", updates));
        SelectByKey = $"SELECT {columnList} FROM {quotedTable} WHERE {keyMatch}";
        DeleteByKey = $"DELETE FROM {quotedTable} WHERE {keyMatch} RETURNING {columnList}";
        DeleteRegion = $"DELETE FROM {quotedTable} WHERE {region} = $region";
        SelectRegion = $"SELECT {columnList} FROM {quotedTable} WHERE {region} = $region";
        Create = $"CREATE TABLE {quotedTable} ({string.Join(", ", dataset.Columns.Select(ColumnDefinitionSql))}, PRIMARY KEY ({keyList}))";
    }

    public DatasetDefinition Dataset { get; }

    public string Table { get; }

    /// <summary>Ordinals of the stored primary key: the region column, then the rest of the catalog key.</summary>
    public IReadOnlyList<int> KeyOrdinals { get; }

    /// <summary>Inserts a row that does not exist yet; changes nothing (0 rows) when the key exists.</summary>
    public string InsertNew { get; }

    public string Upsert { get; }

    public string SelectByKey { get; }

    /// <summary>Deletes by key and returns the deleted row, whose checksum term leaves the region.</summary>
    public string DeleteByKey { get; }

    public string DeleteRegion { get; }

    public string SelectRegion { get; }

    public string Create { get; }

    public static string Parameter(int ordinal) => "$p" + ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string KeyParameter(int keyIndex) => "$k" + keyIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string ColumnDefinitionSql(ColumnDefinition column) =>
        $"{SqlIdentifiers.Quote(column.Name)} {SqliteValueMapper.DeclaredType(column.Type)}{(column.Nullable ? string.Empty : " NOT NULL")}";
}
