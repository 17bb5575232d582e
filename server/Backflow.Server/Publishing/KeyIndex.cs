using System.Globalization;
using System.Text;
using Backflow.Server.Rows;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Publishing;

/// <summary>
/// The key index of one dataset inside a publish transaction: where each live key lives and the digest of its
/// current row (<c>key_index</c>), the row's canonical encoding that snapshots are built from (appended to the dataset's
/// row file, see <see cref="RowFiles"/>), and which rows each region holds (<c>region_rows</c>, see
/// <see cref="RegionRows"/>). Keys are looked up in batches (one <c>IN (…)</c> query per <see cref="LookupBatch"/> keys)
/// and written with statements prepared once.
/// </summary>
/// <remarks><see cref="Flush"/> must run before the transaction commits.</remarks>
internal sealed class KeyIndex : IDisposable
{
    /// <summary>Keys per lookup query: large enough that per-query overhead vanishes, far below SQLite's variable limit.</summary>
    public const int LookupBatch = 256;

    /// <summary>SQLite page cache while the index is written, in KiB; given back when the index is disposed (connections
    /// are pooled). Measured (README, Benchmarks): 1,000,000 keys in random order published in 20 s with 16 MB and 19 s with
    /// 32 MB, but the 5,000,000-row publish peaked at 430 MB with 16 MB and 478 MB with 32 MB, too close to its 500 MB target.</summary>
    private const int CacheKibibytes = 16_384;

    private readonly SqliteConnection _connection;
    private readonly string _dataset;
    private readonly long _previousCacheSize;
    private readonly RowFileWriter _rows;
    private readonly BatchedInsert _insertKey;
    private readonly RawStatement _updateKey;
    private readonly RawStatement _deleteKey;
    private readonly RawStatement _lookup;
    private readonly RegionRows _regionRows;

    // A dataset without a single indexed key (its first publish, typically the largest) needs no lookups at all:
    // keys are unique within a changeset, and the publish holds the write lock, so nothing can appear meanwhile.
    private readonly bool _empty;

    // Into an empty index, nothing looks a key up before Flush, so new keys that come out of order are collected and
    // inserted in key order, RegionRows.Batch at a time: otherwise each lands on its own page of a B-tree far larger than
    // the page cache. Keys that keep rising (the usual export) go in as they come, a statement of
    // BatchedInsert.RowsPerStatement at a time (_inOrder): collecting all of them to sort gained nothing and cost the
    // overlap with reading (1M rows: 8.5-9.3 s became 10.5-10.7 s).
    private readonly List<NewKey> _newKeys = [];
    private readonly List<NewKey> _inOrder = new(BatchedInsert.RowsPerStatement);
    private byte[]? _lastInserted;

    /// <param name="replaceAll">Start from nothing: every key and row of the dataset is removed first (a full reload), and
    /// its rows go to a new row file.</param>
    public KeyIndex(SqliteConnection connection, SqliteTransaction transaction, string dataset, bool replaceAll = false)
    {
        _connection = connection;
        _dataset = dataset;
        if (replaceAll)
        {
            connection.Execute(
                "DELETE FROM region_rows WHERE dataset = @dataset; DELETE FROM key_index WHERE dataset = @dataset;", new { dataset }, transaction);
        }

        _rows = RowFileWriter.Open(connection, transaction, dataset, startOver: replaceAll);
        try
        {
            _empty = !connection.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM key_index WHERE dataset = @dataset)", new { dataset }, transaction);
            _previousCacheSize = connection.ExecuteScalar<long>("PRAGMA cache_size", transaction: transaction);
            connection.Execute($"PRAGMA cache_size = -{CacheKibibytes}", transaction: transaction);

            _insertKey = new BatchedInsert(Prepare, "key_index", "dataset, row_key, region, row_hash, data_id", 4);
            _updateKey = Prepare("UPDATE key_index SET region = ?3, row_hash = ?4, data_id = ?5 WHERE dataset = ?1 AND row_key = ?2");
            _deleteKey = Prepare("DELETE FROM key_index WHERE dataset = ?1 AND row_key = ?2");
            var placeholders = new StringBuilder();
            for (var i = 0; i < LookupBatch; i++)
            {
                placeholders.Append(i == 0 ? "?" : ", ?").Append((i + 2).ToString(CultureInfo.InvariantCulture));
            }

            _lookup = Prepare($"SELECT row_key, region, row_hash, data_id FROM key_index WHERE dataset = ?1 AND row_key IN ({placeholders})");
            _regionRows = new RegionRows(sql => Prepare(sql));
        }
        catch
        {
            // The statements prepared so far are finalized with their handles; the row file must not stay open (on
            // Windows it would be held until the garbage collector found it).
            _rows.Dispose();
            throw;
        }
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
                found[position] = new IndexEntry(_lookup.Text(1), _lookup.Blob(2).ToArray(), _lookup.Int64(3));
            }

            _lookup.Reset();
        }

        return found;
    }

    /// <summary>Stores <paramref name="key"/>'s current row: its row is appended to the row file, and a known key
    /// (<paramref name="existing"/>, as <see cref="FindAll"/> found it) is pointed at it instead of its old row.</summary>
    public void Put(byte[] key, string region, ReadOnlySpan<byte> rowHash, ReadOnlySpan<byte> rowData, IndexEntry? existing)
    {
        var dataId = _rows.Append(rowData);
        if (existing is null)
        {
            if (_empty && (_newKeys.Count > 0 || (_lastInserted is { } last && last.AsSpan().SequenceCompareTo(key) > 0)))
            {
                _newKeys.Add(new NewKey(key, region, rowHash.ToArray(), dataId));
                if (_newKeys.Count >= RegionRows.Batch)
                {
                    FlushNewKeys();
                }
            }
            else
            {
                _inOrder.Add(new NewKey(key, region, rowHash.ToArray(), dataId));
                if (_inOrder.Count == BatchedInsert.RowsPerStatement)
                {
                    InsertKeys(_inOrder);
                }

                _lastInserted = key;
            }

            _regionRows.Add(region, dataId);
            return;
        }

        // A key still collected is written before it is changed (a publish into an empty index never changes a key; tests do).
        FlushNewKeys();
        _updateKey.Bind(2, key);
        _updateKey.Bind(3, region);
        _updateKey.Bind(4, rowHash);
        _updateKey.Bind(5, dataId);
        _updateKey.Execute();
        // The old row stays in the file, unreferenced, until `compact` or a full reload writes a new one.
        _regionRows.Remove(existing.Region, existing.DataId);
        _regionRows.Add(region, dataId);
    }

    public void Remove(byte[] key, IndexEntry found)
    {
        FlushNewKeys();
        _deleteKey.Bind(2, key);
        _deleteKey.Execute();
        _regionRows.Remove(found.Region, found.DataId);
    }

    /// <summary>Writes what is still collected (new keys into an empty index, and <see cref="RegionRows"/>) and commits the
    /// appended rows (<see cref="RowFileWriter.Commit"/>); must run before the transaction commits.</summary>
    public void Flush()
    {
        FlushNewKeys();
        _regionRows.Flush();
        _rows.Commit();
    }

    public void Dispose()
    {
        _lookup.Dispose();
        _insertKey.Dispose();
        _updateKey.Dispose();
        _deleteKey.Dispose();
        _regionRows.Dispose();
        if (_connection.State == System.Data.ConnectionState.Open)
        {
            // Straight through SQLite: the publish transaction may have ended by now, or may not have.
            using var restore = new RawStatement(_connection, $"PRAGMA cache_size = {_previousCacheSize}");
            restore.Execute();
        }

        _rows.Dispose();
    }

    private void InsertKeys(List<NewKey> keys)
    {
        _insertKey.Insert(keys, static (statement, first, key) =>
        {
            statement.Bind(first, key.Key);
            statement.Bind(first + 1, key.Region);
            statement.Bind(first + 2, key.RowHash);
            statement.Bind(first + 3, key.DataId);
        });
        keys.Clear();
    }

    private void FlushNewKeys()
    {
        // Keys still waiting for a full statement first, as they came; the order only matters for speed.
        InsertKeys(_inOrder);
        if (_newKeys.Count == 0)
        {
            return;
        }

        // Byte-wise, shorter first: SQLite's order for BLOBs.
        _newKeys.Sort(static (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));

        InsertKeys(_newKeys);
        _lastInserted = null;
    }

    private RawStatement Prepare(string sql)
    {
        var statement = new RawStatement(_connection, sql);
        statement.Bind(1, _dataset);
        return statement;
    }

    private readonly record struct NewKey(byte[] Key, string Region, byte[] RowHash, long DataId);
}
