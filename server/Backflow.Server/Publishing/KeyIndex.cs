using Microsoft.Data.Sqlite;

namespace Backflow.Server.Publishing;

/// <summary>
/// The key index of one dataset inside a publish transaction: where each live key lives, the digest of its
/// current row and the row's canonical encoding. Prepared commands, one round trip per row.
/// </summary>
internal sealed class KeyIndex : IDisposable
{
    private readonly SqliteCommand _lookup;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _delete;

    public KeyIndex(SqliteConnection connection, SqliteTransaction transaction, string dataset)
    {
        _lookup = Prepare(connection, transaction, "SELECT region, row_hash FROM key_index WHERE dataset = $dataset AND row_key = $key", dataset);
        _upsert = Prepare(connection, transaction,
            """
            INSERT INTO key_index (dataset, row_key, region, row_hash, row_data) VALUES ($dataset, $key, $region, $hash, $data)
            ON CONFLICT (dataset, row_key) DO UPDATE SET region = excluded.region, row_hash = excluded.row_hash, row_data = excluded.row_data
            """,
            dataset);
        _delete = Prepare(connection, transaction, "DELETE FROM key_index WHERE dataset = $dataset AND row_key = $key", dataset);
    }

    public (string Region, byte[] RowHash)? Find(ReadOnlySpan<byte> key)
    {
        _lookup.Parameters["$key"].Value = key.ToArray();
        using var reader = _lookup.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), (byte[])reader.GetValue(1)) : null;
    }

    public void Put(ReadOnlySpan<byte> key, string region, byte[] rowHash, ReadOnlySpan<byte> rowData)
    {
        _upsert.Parameters["$key"].Value = key.ToArray();
        _upsert.Parameters["$region"].Value = region;
        _upsert.Parameters["$hash"].Value = rowHash;
        _upsert.Parameters["$data"].Value = rowData.ToArray();
        _upsert.ExecuteNonQuery();
    }

    public void Remove(ReadOnlySpan<byte> key)
    {
        _delete.Parameters["$key"].Value = key.ToArray();
        _delete.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _lookup.Dispose();
        _upsert.Dispose();
        _delete.Dispose();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, string dataset)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$dataset", dataset);
        foreach (var name in new[] { "$key", "$region", "$hash", "$data" })
        {
            if (sql.Contains(name, StringComparison.Ordinal))
            {
                command.Parameters.Add(name, SqliteType.Blob);
            }
        }

        if (command.Parameters.Contains("$region"))
        {
            command.Parameters["$region"].SqliteType = SqliteType.Text;
        }

        command.Prepare();
        return command;
    }
}
