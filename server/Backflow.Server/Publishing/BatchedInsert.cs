using System.Text;

namespace Backflow.Server.Publishing;

/// <summary>
/// Inserts rows into one table <see cref="RowsPerStatement"/> at a time, through one prepared multi-row
/// <c>INSERT … VALUES (…), (…), …</c>; the rest of a list (fewer than that) one row at a time. Parameter ?1 is shared
/// by every row (the dataset); each row's own values follow.
/// </summary>
/// <remarks>
/// A million-row publish inserts two million index rows (<c>key_index</c> and <c>region_rows</c>). One statement run
/// per row spent more in running statements (VDBE set-up and tear-down, a fresh B-tree cursor that descends from the
/// root, the P/Invoke calls) than in the B-tree itself. With 64 rows a statement, a 1,000,000-row Parquet publish took
/// 6.0-7.2 s (median 6.4) instead of 7.0-7.3 s (median 7.2), and 1.4 s less CPU (4 runs each, alternated).
/// </remarks>
internal sealed class BatchedInsert : IDisposable
{
    /// <summary>Rows per multi-row statement: 64 × 5 parameters, far below SQLite's limit of 32,766.</summary>
    public const int RowsPerStatement = 64;

    private readonly RawStatement _many;
    private readonly RawStatement _one;
    private readonly int _perRow;

    public BatchedInsert(Func<string, RawStatement> prepare, string table, string columns, int perRow)
    {
        _perRow = perRow;
        _many = prepare(Sql(table, columns, perRow, RowsPerStatement));
        _one = prepare(Sql(table, columns, perRow, 1));
    }

    /// <summary>Inserts every row of <paramref name="rows"/>, in their order.</summary>
    /// <param name="rows">The rows.</param>
    /// <param name="bind">Binds one row's values into a statement, from the parameter index it is given on.</param>
    public void Insert<T>(IReadOnlyList<T> rows, Action<RawStatement, int, T> bind)
    {
        var done = 0;
        for (; done + RowsPerStatement <= rows.Count; done += RowsPerStatement)
        {
            for (var r = 0; r < RowsPerStatement; r++)
            {
                bind(_many, 2 + (r * _perRow), rows[done + r]);
            }

            _many.Execute();
        }

        for (; done < rows.Count; done++)
        {
            bind(_one, 2, rows[done]);
            _one.Execute();
        }
    }

    public void Dispose()
    {
        _many.Dispose();
        _one.Dispose();
    }

    /// <summary>The insert of <paramref name="rows"/> rows: <c>(?1, ?2, ?3), (?1, ?4, ?5), …</c> for two values a row.</summary>
    /// <remarks>OR FAIL, not the default OR ABORT: a statement that may abort half-way through its rows needs a statement
    /// journal to undo them, which SQLite kept in temporary files (50,000 rows over 3,100 counties: 96,414 write calls
    /// with it, 83,532 without, by <c>strace</c>).
    /// A failed insert fails the whole publish, whose transaction is rolled back anyway.</remarks>
    private static string Sql(string table, string columns, int perRow, int rows)
    {
        var sql = new StringBuilder($"INSERT OR FAIL INTO {table} ({columns}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(?1" : ", (?1");
            for (var c = 0; c < perRow; c++)
            {
                sql.Append(", ?").Append(2 + (r * perRow) + c);
            }

            sql.Append(')');
        }

        return sql.ToString();
    }
}
