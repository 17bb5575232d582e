using Backflow.Server.Metadata;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Rows;

/// <summary>What compacting one dataset's row file found and did.</summary>
/// <param name="File">The dataset's row file: the new one when rewritten.</param>
/// <param name="BytesBefore">The committed length before.</param>
/// <param name="LiveBytes">The bytes of the rows some key still points at (with their length prefixes).</param>
/// <param name="Rewritten">True when the file held rows no key points at and was rewritten without them.</param>
internal sealed record RowFileCompactionResult(string Dataset, string File, long BytesBefore, long LiveBytes, bool Rewritten);

/// <summary>
/// Gives back the space of rows no key points at any more. A row file only grows: a changed row is appended and its
/// old version stays, and so does a deleted one. A file holding any is rewritten with only the live rows, in region
/// order, as a new generation; the old one is deleted once the new one is committed.
/// </summary>
internal static class RowFileCompaction
{
    public static IReadOnlyList<RowFileCompactionResult> Run(MetadataDatabase database)
    {
        using var connection = database.Open();
        var datasets = connection.Query<string>("SELECT dataset FROM row_files ORDER BY 1").ToList();
        return [.. datasets.Select(dataset => RunOne(connection, dataset))];
    }

    private static RowFileCompactionResult RunOne(SqliteConnection connection, string dataset)
    {
        var directory = RowFiles.DirectoryOf(connection);
        using var transaction = MetadataDatabase.BeginWrite(connection);
        var before = RowFiles.Read(connection, transaction, dataset);
        var file = RowFiles.PathOf(directory, dataset, before.Generation);
        var live = LiveBytes(connection, transaction, dataset);
        if (live == before.CommittedBytes)
        {
            return new RowFileCompactionResult(dataset, file, before.CommittedBytes, live, Rewritten: false);
        }

        using (var stored = RowFileReader.Open(connection, transaction, dataset))
        {
            RowFileRewrite.Run(connection, transaction, dataset, stored.Read, startOver: true);
        }

        transaction.Commit();
        var rewritten = RowFiles.PathOf(directory, dataset, before.Generation + 1);
        // A reader that opened the old generation keeps reading it (the file stays while it is open); one that began
        // its transaction before this commit but had not opened the file yet fails, and SnapshotBuilder tries again.
        RowFileWriter.TryDelete(file);
        return new RowFileCompactionResult(dataset, rewritten, before.CommittedBytes, live, Rewritten: true);
    }

    private static long LiveBytes(SqliteConnection connection, SqliteTransaction transaction, string dataset)
    {
        using var stored = RowFileReader.Open(connection, transaction, dataset);
        return connection.Query<long>("SELECT data_id FROM region_rows WHERE dataset = @dataset ORDER BY data_id", new { dataset }, transaction, buffered: false)
            .Sum(id => RowFiles.PrefixBytes + (long)stored.Read(id).Length);
    }
}
