using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Backflow.Agent.Loading.Sqlite;

/// <summary>
/// The per-row insert of an apply as a statement driven through SQLitePCL directly, on the connection (and so in the
/// transaction) that Microsoft.Data.Sqlite opened. Microsoft.Data.Sqlite looks every parameter up by name on every
/// execution and walks its statement list; for a million rows that managed overhead was a large share of the SQLite
/// thread's time, and that thread is the apply's critical path. Values are bound by position in the storage classes
/// <see cref="SqliteValueMapper.ToDb"/> chose, exactly as Microsoft.Data.Sqlite would bind them.
/// </summary>
internal sealed class SqliteRawInsert : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    /// <param name="connection">An open connection; its transaction covers this statement.</param>
    /// <param name="sql">The statement.</param>
    /// <param name="parameterNames">Its parameters in binding order; each must be at position 1, 2, … in the SQL.</param>
    public SqliteRawInsert(SqliteConnection connection, string sql, IReadOnlyList<string> parameterNames)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_db, sql, out _statement), _db);
        for (var i = 0; i < parameterNames.Count; i++)
        {
            if (raw.sqlite3_bind_parameter_index(_statement, parameterNames[i]) != i + 1)
            {
                _statement.Dispose();
                throw new ArgumentException($"parameter {parameterNames[i]} is not number {i + 1} in: {sql}", nameof(sql));
            }
        }
    }

    /// <summary>Binds <paramref name="values"/> (as ToDb returns them) to ?1…?n, runs the statement and returns the
    /// number of rows it changed.</summary>
    public int Execute(object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var rc = values[i] switch
            {
                DBNull => raw.sqlite3_bind_null(_statement, i + 1),
                string s => raw.sqlite3_bind_text(_statement, i + 1, s),
                long l => raw.sqlite3_bind_int64(_statement, i + 1, l),
                int n => raw.sqlite3_bind_int64(_statement, i + 1, n),
                double d => raw.sqlite3_bind_double(_statement, i + 1, d),
                byte[] b => raw.sqlite3_bind_blob(_statement, i + 1, b),
                var other => throw new ArgumentException($"parameter {i + 1}: no SQLite binding for {other.GetType().Name}", nameof(values)),
            };
            Check(rc);
        }

        var step = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (step != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(step, _db);
        }

        return raw.sqlite3_changes(_db);
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
