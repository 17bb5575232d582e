using Backflow.Agent.Loading.Sqlite;
using Backflow.Protocol.Catalog;

namespace Backflow.Agent.Loading.Postgres;

/// <summary>
/// The table a dataset is stored in and the SQL that reads and writes it. Columns keep their catalog names and order;
/// the primary key leads with the region column, then the rest of the catalog key, for the reasons given on
/// <see cref="SqliteTableLayout"/> (a moved row belongs to two regions for a while; a region's delete and scan are
/// range scans of the key).
/// </summary>
/// <remarks>
/// Rows of a delta go through a staging table: binary COPY of a row group into it, then one set-based
/// <see cref="DeleteStaged"/> that removes (and returns, for the checksum) the old version of every staged key, then
/// one <see cref="InsertStaged"/> of the upserts. An upsert is therefore delete + insert — which is what an UPDATE is
/// in PostgreSQL anyway — and the old row comes back without a second lookup.
/// </remarks>
internal sealed class PostgresTableLayout
{
    /// <summary>The per-apply staging table; temporary, so it is private to the connection and dropped at commit.</summary>
    public const string Stage = "backflow_stage";

    /// <summary>The staging table's operation column (0 upsert, 1 delete), named as in the extract file.</summary>
    public const string OpColumn = "_op";

    public PostgresTableLayout(DatasetDefinition dataset, string schema, string table)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Dataset = dataset;
        Schema = SqlIdentifiers.Require(schema, "the PostgreSQL schema");
        Table = SqlIdentifiers.Require(table, "table");
        QualifiedTable = $"{SqlIdentifiers.Quote(schema)}.{SqlIdentifiers.Quote(table)}";
        KeyOrdinals = [dataset.RegionOrdinal, .. dataset.KeyOrdinals.Where(o => o != dataset.RegionOrdinal)];
        var names = dataset.Columns.Select(c => SqlIdentifiers.Quote(c.Name)).ToArray();
        var columnList = string.Join(", ", names);
        var keyList = string.Join(", ", KeyOrdinals.Select(o => names[o]));
        var keyMatch = string.Join(" AND ", KeyOrdinals.Select(o => $"x.{names[o]} = s.{names[o]}"));
        var region = names[dataset.RegionOrdinal];
        var stage = $"pg_temp.{Stage}";
        var op = SqlIdentifiers.Quote(OpColumn);

        Create = $"CREATE TABLE {QualifiedTable} ({string.Join(", ", dataset.Columns.Select(ColumnDefinitionSql))}, PRIMARY KEY ({keyList}))";
        CreateStage = $"CREATE TEMP TABLE {Stage} ({string.Join(", ", dataset.Columns.Select(c => $"{SqlIdentifiers.Quote(c.Name)} {PostgresValueMapper.DeclaredType(c.Type)}"))}, {op} smallint NOT NULL) ON COMMIT DROP";
        CopyIntoStage = $"COPY {stage} ({columnList}, {op}) FROM STDIN (FORMAT BINARY)";
        CopyIntoTable = $"COPY {QualifiedTable} ({columnList}) FROM STDIN (FORMAT BINARY)";
        TruncateStage = $"TRUNCATE {stage}";
        DeleteStaged = $"DELETE FROM {QualifiedTable} t WHERE t.ctid = ANY (ARRAY(SELECT o.ctid FROM {stage} s CROSS JOIN LATERAL "
            + $"(SELECT x.ctid FROM {QualifiedTable} x WHERE {keyMatch} OFFSET 0) o)) RETURNING {string.Join(", ", names.Select(n => "t." + n))}";
        InsertStaged = $"INSERT INTO {QualifiedTable} ({columnList}) SELECT {columnList} FROM {stage} WHERE {op} = 0";
        DeleteRegion = $"DELETE FROM {QualifiedTable} WHERE {region} = $1";
        SelectRegion = $"SELECT {columnList} FROM {QualifiedTable} WHERE {region} = $1";
    }

    public DatasetDefinition Dataset { get; }

    public string Schema { get; }

    public string Table { get; }

    /// <summary>"schema"."table", ready for SQL text.</summary>
    public string QualifiedTable { get; }

    /// <summary>Ordinals of the stored primary key: the region column, then the rest of the catalog key.</summary>
    public IReadOnlyList<int> KeyOrdinals { get; }

    public string Create { get; }

    public string CreateStage { get; }

    public string CopyIntoStage { get; }

    /// <summary>COPY straight into the table: for a snapshot's rows, whose region was just emptied.</summary>
    public string CopyIntoTable { get; }

    public string TruncateStage { get; }

    /// <summary>Deletes the stored version of every staged key (upserts and deletes) and returns it, catalog order.</summary>
    /// <remarks>
    /// Not <c>DELETE … USING stage</c>: the planner may then put the table on the outside of the join and rescan the
    /// staging table for every stored row — it does exactly that when autovacuum analyses the table while a first big
    /// delta is still uncommitted (statistics: 0 rows in many pages), minutes per row group. The LATERAL subquery
    /// (kept apart from the outer query by <c>OFFSET 0</c>) makes the staged keys the outer side whatever the
    /// statistics, each probing the primary key; the rows found are then deleted by their ctid (a TID scan).
    /// </remarks>
    public string DeleteStaged { get; }

    public string InsertStaged { get; }

    public string DeleteRegion { get; }

    public string SelectRegion { get; }

    public static string ColumnDefinitionSql(ColumnDefinition column) =>
        $"{SqlIdentifiers.Quote(column.Name)} {PostgresValueMapper.DeclaredType(column.Type)}{(column.Nullable ? string.Empty : " NOT NULL")}";
}
