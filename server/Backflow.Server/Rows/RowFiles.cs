using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Rows;

/// <summary>Which generation of a dataset's row file is in use, and how many of its bytes are committed.</summary>
internal readonly record struct RowFileState(long Generation, long CommittedBytes);

/// <summary>
/// Where each live row's canonical encoding is kept: <c>rows/&lt;dataset&gt;.&lt;generation&gt;.rows</c> beside the metadata
/// database, one record per stored row (a 4-byte little-endian length, then the bytes), appended and never changed.
/// A row's <c>data_id</c> in <c>key_index</c> and <c>region_rows</c> is its record's byte offset. Why the rows left SQLite:
/// <c>008-row-files.sql</c>.
/// </summary>
/// <remarks>
/// The file's committed length lives in <c>row_files</c>, written in the same transaction as the key index that points
/// into it, after the file has been flushed to disk (<see cref="RowFileWriter.Commit"/>). A reader never reads past the
/// length its own transaction sees, and no writer changes bytes below it, so readers need no lock.
/// </remarks>
internal static class RowFiles
{
    /// <summary>Bytes before each row: its length, as a little-endian 32-bit integer.</summary>
    public const int PrefixBytes = 4;

    public const string Extension = ".rows";

    /// <summary>The row files' folder: <c>rows</c> in the folder of the connection's database file.</summary>
    public static string DirectoryOf(SqliteConnection connection) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(connection.DataSource))!, "rows");

    public static string PathOf(string directory, string dataset, long generation) =>
        Path.Combine(directory, $"{dataset}.{generation}{Extension}");

    /// <summary>The dataset's committed state; generation 1 with nothing committed for a dataset never written.</summary>
    public static RowFileState Read(SqliteConnection connection, SqliteTransaction? transaction, string dataset) =>
        connection.QuerySingleOrDefault<(long Generation, long CommittedBytes)?>(
            "SELECT generation, committed_bytes FROM row_files WHERE dataset = @dataset", new { dataset }, transaction) is { } state
            ? new RowFileState(state.Generation, state.CommittedBytes)
            : new RowFileState(1, 0);

    public static void Save(SqliteConnection connection, SqliteTransaction transaction, string dataset, RowFileState state) =>
        connection.Execute(
            """
            INSERT INTO row_files (dataset, generation, committed_bytes) VALUES (@dataset, @Generation, @CommittedBytes)
            ON CONFLICT (dataset) DO UPDATE SET generation = excluded.generation, committed_bytes = excluded.committed_bytes
            """,
            new { dataset, state.Generation, state.CommittedBytes },
            transaction);
}
