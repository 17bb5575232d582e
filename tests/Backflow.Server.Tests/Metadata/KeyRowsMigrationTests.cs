using Backflow.Server.Metadata;
using Backflow.Server.Publishing;
using Backflow.Server.Tests.Functional.Kit;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Tests.Metadata;

/// <summary>
/// Migration 006 splits the key index into key_index and key_rows. A server upgraded from before it must keep every
/// key, region, digest and row exactly, and go on publishing on top of them.
/// </summary>
public sealed class KeyRowsMigrationTests : IDisposable
{
    private readonly TempServerFolder _folder = new();

    private static readonly (string Dataset, byte[] Key, string Region, byte[] Hash, byte[] Data)[] OldRows =
    [
        ("market-entities", [1, 2, 3], "330106", [9, 9], [10, 11, 12]),
        ("market-entities", [1, 2, 4], "330108", [8, 8], [13]),
        ("market-entities", [0, 7], "330106", [7, 7], [14, 15]),
        ("households", [1, 2, 3], "330106", [6, 6], [16, 17, 18, 19]),
    ];

    [Fact]
    public void Every_key_and_row_of_an_older_server_survives_the_split_and_publishing_goes_on_on_top_of_them()
    {
        var paths = _folder.NewPaths();
        paths.EnsureCreated();
        CreateVersion5Database(paths.MetadataDatabase);

        var database = new MetadataDatabase(paths);

        using var connection = database.Open();
        Assert.Equal(MetadataDatabase.MigrationScripts().Count, connection.ExecuteScalar<long>("PRAGMA user_version"));
        var migrated = StoredRows.All(connection).Select(r => (r.Dataset, r.Key, r.Region, r.Hash, r.Data)).ToList();
        Assert.Equal(Describe(OldRows), Describe(migrated));
        // Migration 008 moved the rows on out of SQLite, into a file per dataset.
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT count(*) FROM sqlite_schema WHERE name = 'key_rows'"));
        Assert.Equal("ok", connection.ExecuteScalar<string>("PRAGMA integrity_check"));

        using (var transaction = MetadataDatabase.BeginWrite(connection))
        {
            using var index = new KeyIndex(connection, transaction, "market-entities");
            index.Put([5, 5], "330106", [1], [20], existing: null);
            index.Flush();
            transaction.Commit();
        }

        var after = StoredRows.All(connection);
        Assert.Equal([20], after.Single(r => r.Key.SequenceEqual(new byte[] { 5, 5 })).Data);
        Assert.Equal(OldRows.Length + 1, after.Select(r => (r.Dataset, r.DataId)).Distinct().Count());
    }

    [Fact]
    public void A_key_that_region_rows_missed_before_the_upgrade_still_has_its_row_moved_into_the_row_file()
    {
        var paths = _folder.NewPaths();
        paths.EnsureCreated();
        OlderDatabase.Create(paths.MetadataDatabase, "007-region-rows.sql", old => old.Execute(
            """
            INSERT INTO key_rows (id, row_data) VALUES (1, x'01'), (2, x'0202');
            INSERT INTO key_index (dataset, row_key, region, row_hash, data_id) VALUES
                ('market-entities', x'0a', '330106', x'aa', 1), ('market-entities', x'0b', '330108', x'bb', 2);
            INSERT INTO region_rows (dataset, region, data_id) VALUES ('market-entities', '330106', 1);
            """));

        using var connection = new MetadataDatabase(paths).Open();
        Assert.Equal(["market-entities 0A 01", "market-entities 0B 0202"],
            StoredRows.All(connection).Select(r => $"{r.Dataset} {Convert.ToHexString(r.Key)} {Convert.ToHexString(r.Data)}").Order(StringComparer.Ordinal));
        Assert.Equal(
            connection.Query<string>("SELECT region || ' ' || data_id FROM key_index ORDER BY 1"),
            connection.Query<string>("SELECT region || ' ' || data_id FROM region_rows ORDER BY 1"));
    }

    public void Dispose() => _folder.Dispose();

    private static IEnumerable<string> Describe(IEnumerable<(string Dataset, byte[] Key, string Region, byte[] Hash, byte[] Data)> rows) =>
        rows.Select(r => $"{r.Dataset} {Convert.ToHexString(r.Key)} {r.Region} {Convert.ToHexString(r.Hash)} {Convert.ToHexString(r.Data)}").Order(StringComparer.Ordinal);

    /// <summary>A metadata database as a server before migration 006 left it, with rows in the old one-table key index.</summary>
    private static void CreateVersion5Database(string path) =>
        OlderDatabase.Create(path, "005-publish-fingerprint.sql", connection =>
        {
            foreach (var row in OldRows)
            {
                connection.Execute(
                    "INSERT INTO key_index (dataset, row_key, region, row_hash, row_data) VALUES (@Dataset, @Key, @Region, @Hash, @Data)",
                    new { row.Dataset, row.Key, row.Region, row.Hash, row.Data });
            }
        });
}
