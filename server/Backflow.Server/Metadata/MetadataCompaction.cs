using Dapper;

namespace Backflow.Server.Metadata;

/// <summary>What <see cref="MetadataCompaction.Run"/> found and did, in bytes of the database file.</summary>
internal sealed record CompactionResult(string File, long BytesBefore, long FreeBytesBefore, long BytesAfter, bool Vacuumed);

/// <summary>
/// Gives the free pages of the metadata database back to the disk (<c>VACUUM</c>). SQLite reuses freed pages but never
/// shrinks the file by itself: after the key-index split of migration 006, a large re-base or years of deletes, the
/// file can be far larger than what it holds. It may run beside a server (WAL: readers go on), but every write waits
/// for it, up to the connections' 60 s busy timeout.
/// </summary>
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
        if (free == 0)
        {
            return new CompactionResult(file, before, 0, before, Vacuumed: false);
        }

        connection.Execute("VACUUM;");
        connection.Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        return new CompactionResult(file, before, free, new FileInfo(file).Length, Vacuumed: true);
    }
}
