using Backflow.Server.Publishing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Rows;

/// <summary>Returns the stored row <paramref name="dataId"/> names; valid until the next call.</summary>
internal delegate ReadOnlySpan<byte> StoredRowSource(long dataId);

/// <summary>
/// Copies the live rows of one dataset into a row file, region by region, and points <c>key_index</c> and
/// <c>region_rows</c> at their new offsets, inside the caller's write transaction. Used by migration 008 (rows out of
/// <c>key_rows</c>) and by <c>backflow-server compact</c> (rows no key points at any more left behind).
/// </summary>
internal static class RowFileRewrite
{
    /// <returns>The committed length of the new file, in bytes.</returns>
    public static long Run(SqliteConnection connection, SqliteTransaction transaction, string dataset, StoredRowSource read, bool startOver)
    {
        connection.Execute("CREATE TEMP TABLE moved_rows (old_id INTEGER PRIMARY KEY, new_id INTEGER NOT NULL)", transaction: transaction);
        long length;
        using (var writer = RowFileWriter.Open(connection, transaction, dataset, startOver))
        using (var move = new RawStatement(connection, "INSERT INTO temp.moved_rows (old_id, new_id) VALUES (?1, ?2)"))
        using (var live = new RawStatement(connection, "SELECT data_id FROM region_rows WHERE dataset = ?1 ORDER BY region, data_id"))
        {
            // Region by region: each region's rows end up side by side, so a snapshot reads them in a few large reads.
            live.Bind(1, dataset);
            while (live.Step())
            {
                var old = live.Int64(0);
                move.Bind(1, old);
                move.Bind(2, writer.Append(read(old)));
                move.Execute();
            }

            live.Reset();
            length = writer.Commit();
        }

        connection.Execute(
            """
            UPDATE key_index SET data_id = (SELECT new_id FROM temp.moved_rows WHERE old_id = key_index.data_id) WHERE dataset = @dataset;
            DELETE FROM region_rows WHERE dataset = @dataset;
            INSERT INTO region_rows (dataset, region, data_id) SELECT dataset, region, data_id FROM key_index WHERE dataset = @dataset ORDER BY region, data_id;
            DROP TABLE temp.moved_rows;
            """,
            new { dataset },
            transaction);
        return length;
    }
}
