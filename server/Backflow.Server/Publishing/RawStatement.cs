using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Backflow.Server.Publishing;

/// <summary>
/// A prepared SQLite statement driven through SQLitePCL directly, on a connection (and so inside the transaction)
/// that Microsoft.Data.Sqlite opened. For the key index's per-row statements only: Microsoft.Data.Sqlite binds every
/// parameter by name on every execution and allocates a reader per query, which profiling showed to cost more than
/// SQLite's own B-tree work on a million-row publish. Parameters are bound by position and stay bound across resets.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Bind(int index, string value) => Check(raw.sqlite3_bind_text(_statement, index, value));

    public void Bind(int index, ReadOnlySpan<byte> value) => Check(raw.sqlite3_bind_blob(_statement, index, value));

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    /// <summary>Steps once; true when a row is available.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }

        raw.sqlite3_reset(_statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
        return false;
    }

    /// <summary>Runs a statement that returns no rows, then makes it ready for the next run.</summary>
    public void Execute()
    {
        Step();
        Reset();
    }

    public void Reset() => raw.sqlite3_reset(_statement);

    public ReadOnlySpan<byte> Blob(int column) => raw.sqlite3_column_blob(_statement, column);

    public string Text(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    /// <summary>The rowid of the connection's last successful INSERT.</summary>
    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

    /// <summary>Rows the last executed INSERT, UPDATE or DELETE changed.</summary>
    public int Changes => raw.sqlite3_changes(_db);

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
