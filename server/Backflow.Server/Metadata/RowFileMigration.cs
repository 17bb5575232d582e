using Backflow.Server.Publishing;
using Backflow.Server.Rows;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Metadata;

/// <summary>
/// The part of migration 008 that SQL cannot do: copies every row of <c>key_rows</c> into its dataset's row file
/// (<see cref="RowFiles"/>), points <c>key_index</c> and <c>region_rows</c> at the rows' new offsets, and drops
/// <c>key_rows</c>. Runs inside the migration's transaction: if it fails, nothing changed, and the bytes already
/// appended are truncated by the next attempt.
/// </summary>
internal static class RowFileMigration
{
    public const string Script = "008-row-files.sql";

    public static void Run(SqliteConnection connection, SqliteTransaction transaction)
    {
        // region_rows was derived from key_index by migration 007 and kept equal since; derived again here all the same, so
        // that no key is left pointing at a key_rows id the copy below (which walks region_rows) did not move.
        connection.Execute(
            """
            DELETE FROM region_rows;
            INSERT INTO region_rows (dataset, region, data_id) SELECT dataset, region, data_id FROM key_index ORDER BY dataset, region, data_id;
            """,
            transaction: transaction);
        var datasets = connection.Query<string>("SELECT DISTINCT dataset FROM key_index ORDER BY 1", transaction: transaction).ToList();
        using (var select = new RawStatement(connection, "SELECT row_data FROM key_rows WHERE id = ?1"))
        {
            foreach (var dataset in datasets)
            {
                RowFileRewrite.Run(connection, transaction, dataset, id =>
                {
                    select.Bind(1, id);
                    var row = select.Step()
                        ? select.Blob(0).ToArray()
                        : throw new InvalidOperationException($"key_rows has no row {id} for dataset '{dataset}'; the metadata database is inconsistent");
                    // Reset at once: a statement left open would keep the rewrite from dropping its temporary table.
                    select.Reset();
                    return row;
                }, startOver: false);
            }
        }

        connection.Execute("DROP TABLE key_rows", transaction: transaction);
    }
}
