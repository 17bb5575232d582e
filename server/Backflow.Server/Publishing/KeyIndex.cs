using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Publishing;

/// <summary>
/// The key index of one dataset inside a publish transaction: where each live key lives, the digest of its
/// current row and the row's canonical encoding (snapshots are built from it). Keys are looked up in batches
/// (one <c>IN (…)</c> query per <see cref="LookupBatch"/> keys) and written with statements prepared once.
/// </summary>
internal sealed class KeyIndex : IDisposable
{
    /// <summary>Keys per lookup query: large enough that per-query overhead vanishes, far below SQLite's variable limit.</summary>
    public const int LookupBatch = 256;

    private readonly SqliteConnection _connection;
    private readonly string _dataset;
    private readonly RawStatement _upsert;
    private readonly RawStatement _delete;
    private readonly RawStatement _lookup;

    // A dataset without a single indexed key (its first publish, typically the largest) needs no lookups at all:
    // keys are unique within a changeset, and the publish holds the write lock, so nothing can appear meanwhile.
    private readonly bool _empty;

    public KeyIndex(SqliteConnection connection, SqliteTransaction transaction, string dataset)
    {
        _connection = connection;
        _dataset = dataset;
        using (var any = connection.CreateCommand())
        {
            any.Transaction = transaction;
            any.CommandText = "SELECT EXISTS (SELECT 1 FROM key_index WHERE dataset = $dataset)";
            any.Parameters.AddWithValue("$dataset", dataset);
            _empty = Convert.ToInt64(any.ExecuteScalar(), CultureInfo.InvariantCulture) == 0;
        }

        _upsert = Prepare(
            """
            INSERT INTO key_index (dataset, row_key, region, row_hash, row_data) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (dataset, row_key) DO UPDATE SET region = excluded.region, row_hash = excluded.row_hash, row_data = excluded.row_data
            """);
        _delete = Prepare("DELETE FROM key_index WHERE dataset = ?1 AND row_key = ?2");
        var placeholders = new StringBuilder();
        for (var i = 0; i < LookupBatch; i++)
        {
            placeholders.Append(i == 0 ? "?" : ", ?").Append((i + 2).ToString(CultureInfo.InvariantCulture));
        }

        _lookup = Prepare($"SELECT row_key, region, row_hash FROM key_index WHERE dataset = ?1 AND row_key IN ({placeholders})");
    }

    /// <summary>Looks up the keys of <paramref name="rows"/>; the answer is aligned with them (null where the key is new).</summary>
    public IndexEntry?[] FindAll(IReadOnlyList<PreparedRow> rows)
    {
        var found = new IndexEntry?[rows.Count];
        if (_empty)
        {
            return found;
        }

        var positions = new Dictionary<byte[], int>(LookupBatch, ByteKeyComparer.Instance);
        for (var start = 0; start < rows.Count; start += LookupBatch)
        {
            var count = Math.Min(LookupBatch, rows.Count - start);
            positions.Clear();
            for (var i = 0; i < LookupBatch; i++)
            {
                // A short last batch repeats its last key: IN ignores the repeat, and one prepared statement serves all.
                var key = rows[start + Math.Min(i, count - 1)].Key;
                _lookup.Bind(i + 2, key);
                positions.TryAdd(key, start + Math.Min(i, count - 1));
            }

            while (_lookup.Step())
            {
                var position = positions[_lookup.Blob(0).ToArray()];
                found[position] = new IndexEntry(_lookup.Text(1), _lookup.Blob(2).ToArray());
            }

            _lookup.Reset();
        }

        return found;
    }

    public void Put(byte[] key, string region, byte[] rowHash, byte[] rowData)
    {
        _upsert.Bind(2, key);
        _upsert.Bind(3, region);
        _upsert.Bind(4, rowHash);
        _upsert.Bind(5, rowData);
        _upsert.Execute();
    }

    public void Remove(byte[] key)
    {
        _delete.Bind(2, key);
        _delete.Execute();
    }

    public void Dispose()
    {
        _lookup.Dispose();
        _upsert.Dispose();
        _delete.Dispose();
    }

    private RawStatement Prepare(string sql)
    {
        var statement = new RawStatement(_connection, sql);
        statement.Bind(1, _dataset);
        return statement;
    }
}
