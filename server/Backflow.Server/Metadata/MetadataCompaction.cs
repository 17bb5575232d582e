using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Metadata;

/// <summary>What <see cref="MetadataCompaction.Run"/> found and did, in bytes of the database file.</summary>
/// <param name="PageSizeBefore">The file's page size before, in bytes.</param>
/// <param name="PageSizeAfter">After: <see cref="MetadataDatabase.PageSize"/> once rebuilt, else unchanged.</param>
/// <param name="PageSizeKept">True when an older page size had to stay because the server (or another command) had the
/// file open; stopping it and compacting again rebuilds it.</param>
internal sealed record CompactionResult(
    string File, long BytesBefore, long FreeBytesBefore, long BytesAfter, bool Vacuumed, long PageSizeBefore, long PageSizeAfter, bool PageSizeKept)
{
    /// <summary>What <see cref="Rows.RowFileCompaction"/> did to each dataset's row file, before the vacuum.</summary>
    public IReadOnlyList<Rows.RowFileCompactionResult> RowFiles { get; init; } = [];
}

/// <summary>
/// Gives the free pages of the metadata database back to the disk (<c>VACUUM</c>). SQLite reuses freed pages but never
/// shrinks the file by itself: after the key-index split of migration 006, a large re-base or years of deletes, the
/// file can be far larger than what it holds. It may run beside a server (WAL: readers go on), but every write waits
/// for it, up to the connections' 60 s busy timeout.
/// </summary>
/// <remarks>
/// A database made before <see cref="MetadataDatabase.PageSize"/> was introduced is rebuilt with it here, which needs the
/// file to itself: SQLite changes the page size only outside WAL mode, and leaves WAL mode only when no other connection
/// has the file open. Beside a running server it falls back to the plain vacuum and says so.
/// </remarks>
internal static class MetadataCompaction
{
    public static CompactionResult Run(MetadataDatabase database, string file)
    {
        using var connection = database.Open();
        // Folds the WAL back first, so the sizes below are the file's and the vacuum starts from an empty WAL.
        connection.Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        var pageSize = connection.ExecuteScalar<long>("PRAGMA page_size;");
        var free = connection.ExecuteScalar<long>("PRAGMA freelist_count;") * pageSize;
        var before = new FileInfo(file).Length;
        var resize = pageSize != MetadataDatabase.PageSize;
        if (free == 0 && !resize)
        {
            return new CompactionResult(file, before, 0, before, Vacuumed: false, pageSize, pageSize, PageSizeKept: false);
        }

        var resized = resize && TryLeaveWal(connection);
        if (resized)
        {
            connection.Execute($"PRAGMA page_size = {MetadataDatabase.PageSize};");
        }

        try
        {
            connection.Execute("VACUUM;");
        }
        finally
        {
            if (resized)
            {
                connection.Execute("PRAGMA journal_mode = WAL;");
            }
        }

        connection.Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        var after = connection.ExecuteScalar<long>("PRAGMA page_size;");
        return new CompactionResult(file, before, free, new FileInfo(file).Length, Vacuumed: true, pageSize, after, PageSizeKept: resize && !resized);
    }

    /// <summary>Switches to a rollback journal for the rebuild; false when another connection has the file open.</summary>
    private static bool TryLeaveWal(SqliteConnection connection)
    {
        try
        {
            return connection.ExecuteScalar<string>("PRAGMA journal_mode = DELETE;") == "delete";
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            return false; // SQLITE_BUSY or SQLITE_LOCKED: the server has it open
        }
    }
}
