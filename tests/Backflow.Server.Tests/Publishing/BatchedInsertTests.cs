using Backflow.Server.Publishing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Tests.Publishing;

/// <summary>
/// <see cref="BatchedInsert"/> binds many rows into one statement by parameter number: a row bound one place off would
/// store another row's values, so every row's own values must come back, whatever the count's remainder.
/// </summary>
public sealed class BatchedInsertTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(BatchedInsert.RowsPerStatement - 1)]
    [InlineData(BatchedInsert.RowsPerStatement)]
    [InlineData(BatchedInsert.RowsPerStatement + 1)]
    [InlineData((3 * BatchedInsert.RowsPerStatement) + 7)]
    public void Every_row_is_inserted_once_with_its_own_values_in_order(int count)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        connection.Execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, dataset TEXT NOT NULL, name TEXT NOT NULL, data BLOB NOT NULL, number INTEGER NOT NULL)");
        var rows = Enumerable.Range(0, count).Select(i => (Name: $"row {i}", Data: new[] { (byte)i, (byte)(i >> 8) }, Number: 1_000L * i)).ToList();

        using (var insert = new BatchedInsert(Prepare, "t", "dataset, name, data, number", 3))
        {
            insert.Insert(rows, static (statement, first, row) =>
            {
                statement.Bind(first, row.Name);
                statement.Bind(first + 1, row.Data);
                statement.Bind(first + 2, row.Number);
            });
        }

        var stored = connection.Query<(string Dataset, string Name, byte[] Data, long Number)>("SELECT dataset, name, data, number FROM t ORDER BY seq").ToList();
        Assert.Equal(count, stored.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(("market-entities", rows[i].Name, rows[i].Number), (stored[i].Dataset, stored[i].Name, stored[i].Number));
            Assert.Equal(rows[i].Data, stored[i].Data);
        }

        RawStatement Prepare(string sql)
        {
            var statement = new RawStatement(connection, sql);
            statement.Bind(1, "market-entities");
            return statement;
        }
    }
}
