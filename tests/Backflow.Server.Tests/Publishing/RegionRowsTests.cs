using Backflow.Server.Metadata;
using Backflow.Server.Publishing;
using Backflow.Server.Tests.Functional.Kit;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Tests.Publishing;

/// <summary>
/// region_rows (migration 007) lists which rows live in which region; snapshots read it. KeyIndex collects new entries
/// and inserts them in sorted batches, so entries that are still collected must be found by moves and deletes, and
/// nothing may be lost across a batch boundary or by the migration from the index it replaces.
/// </summary>
public sealed class RegionRowsTests : IDisposable
{
    private readonly TempServerFolder _folder = new();

    [Fact]
    public void A_key_added_moved_and_removed_before_any_flush_leaves_region_rows_equal_to_the_key_index()
    {
        using var connection = NewDatabase().Open();
        using (var transaction = MetadataDatabase.BeginWrite(connection))
        {
            using var index = new KeyIndex(connection, transaction, "market-entities");
            index.Put([1], "330106", [1], [10], existing: null);
            index.Put([2], "330106", [2], [20], existing: null);
            index.Put([3], "330108", [3], [30], existing: null);
            Assert.Equal(0, connection.ExecuteScalar<long>("SELECT count(*) FROM region_rows", transaction: transaction));

            // As FindAll would have found them: each row is stored as 4 bytes of length and 1 of data, so at offsets 0, 5 and 10.
            index.Put([2], "330108", [4], [21], new IndexEntry("330106", [2], 5));   // a move of an entry still collected
            index.Remove([3], new IndexEntry("330108", [3], 10));                    // a delete of an entry still collected
            index.Flush();
            transaction.Commit();
        }

        // The moved key's new row was appended after the three.
        Assert.Equal(["market-entities 330106 0", "market-entities 330108 15"], Pairs(connection, "key_index"));
        Assert.Equal(Pairs(connection, "key_index"), Pairs(connection, "region_rows"));
    }

    [Fact]
    public void More_entries_than_one_batch_are_all_written_in_region_order()
    {
        var total = RegionRows.Batch + 1_000;
        string[] regions = ["330106", "110101", "650102"];
        using var connection = NewDatabase().Open();
        using (var transaction = MetadataDatabase.BeginWrite(connection))
        {
            using var index = new KeyIndex(connection, transaction, "market-entities");
            for (var i = 0; i < total; i++)
            {
                index.Put(BitConverter.GetBytes(i), regions[i % regions.Length], [1], [2], existing: null);
            }

            index.Flush();
            transaction.Commit();
        }

        Assert.Equal(total, connection.ExecuteScalar<long>("SELECT count(*) FROM region_rows"));
        Assert.Equal(0, connection.ExecuteScalar<long>(
            "SELECT count(*) FROM key_index AS k LEFT JOIN region_rows AS g ON g.dataset = k.dataset AND g.region = k.region AND g.data_id = k.data_id WHERE g.data_id IS NULL"));
        foreach (var region in regions)
        {
            Assert.Equal(total / regions.Length + (Array.IndexOf(regions, region) < total % regions.Length ? 1 : 0),
                connection.ExecuteScalar<long>("SELECT count(*) FROM region_rows WHERE region = @region", new { region }));
        }
    }

    [Fact]
    public void Keys_that_come_out_of_order_into_an_empty_index_are_all_stored_with_their_own_rows()
    {
        // More than one batch of keys collected for sorted insertion, in random order; then one removed while still collected.
        var total = RegionRows.Batch + 5_000;
        var order = Enumerable.Range(0, total).ToArray();
        new Random(3).Shuffle(order);
        static byte[] KeyOf(int i) => [(byte)(i >> 24), (byte)(i >> 16), (byte)(i >> 8), (byte)i];
        using var connection = NewDatabase().Open();
        using (var transaction = MetadataDatabase.BeginWrite(connection))
        {
            using var index = new KeyIndex(connection, transaction, "market-entities");
            foreach (var i in order)
            {
                index.Put(KeyOf(i), "330106", [(byte)(i % 251)], BitConverter.GetBytes(i), existing: null);
            }

            // Each row is stored as 4 bytes of length and 4 of data, in put order; the last key put is still collected.
            var last = order[^1];
            index.Remove(KeyOf(last), new IndexEntry("330106", [(byte)(last % 251)], 8L * (total - 1)));
            index.Flush();
            transaction.Commit();
        }

        var stored = StoredRows.All(connection);
        Assert.Equal(total - 1, stored.Count);
        Assert.All(stored, s =>
        {
            var i = BitConverter.ToInt32(s.Data);
            Assert.Equal(KeyOf(i), s.Key);
            Assert.Equal([(byte)(i % 251)], s.Hash);
        });
        Assert.DoesNotContain(stored, s => BitConverter.ToInt32(s.Data) == order[^1]);
        Assert.Equal(Pairs(connection, "key_index"), Pairs(connection, "region_rows"));
    }

    [Fact]
    public void An_older_server_upgraded_to_region_rows_lists_every_key_in_its_region()
    {
        var paths = _folder.NewPaths();
        paths.EnsureCreated();
        OlderDatabase.Create(paths.MetadataDatabase, "006-key-rows.sql", old => old.Execute(
            """
            INSERT INTO key_rows (id, row_data) VALUES (1, x'01'), (2, x'02'), (3, x'03');
            INSERT INTO key_index (dataset, row_key, region, row_hash, data_id) VALUES
                ('market-entities', x'0a', '330106', x'aa', 1), ('market-entities', x'0b', '330108', x'bb', 2), ('households', x'0a', '330106', x'cc', 3);
            """));

        using var connection = new MetadataDatabase(paths).Open();
        Assert.Equal(MetadataDatabase.MigrationScripts().Count, connection.ExecuteScalar<long>("PRAGMA user_version"));
        // Migration 008 then moved the rows into a file per dataset, in region order: data_id is the offset of a row's
        // 4-byte length, followed by its one byte.
        Assert.Equal(["households 330106 0", "market-entities 330106 0", "market-entities 330108 5"], Pairs(connection, "region_rows"));
        Assert.Equal(Pairs(connection, "key_index"), Pairs(connection, "region_rows"));
        Assert.Equal(["households 0A 03", "market-entities 0A 01", "market-entities 0B 02"],
            StoredRows.All(connection).Select(r => $"{r.Dataset} {Convert.ToHexString(r.Key)} {Convert.ToHexString(r.Data)}").Order(StringComparer.Ordinal));
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT count(*) FROM sqlite_schema WHERE name = 'key_index_by_region'"));
        Assert.Equal("ok", connection.ExecuteScalar<string>("PRAGMA integrity_check"));
    }

    public void Dispose() => _folder.Dispose();

    private MetadataDatabase NewDatabase()
    {
        var paths = _folder.NewPaths();
        paths.EnsureCreated();
        return new MetadataDatabase(paths);
    }

    private static List<string> Pairs(SqliteConnection connection, string table) =>
        connection.Query<string>($"SELECT dataset || ' ' || region || ' ' || data_id FROM {table} ORDER BY 1").ToList();
}
