using Backflow.Protocol.Rows;
using Backflow.Server.Metadata;
using Backflow.Server.Snapshots;
using Backflow.Server.Tests.Functional.Kit;
using Dapper;

namespace Backflow.Server.Tests.Publishing;

/// <summary>
/// The key index is two tables (key_index, and region_rows from migration 007) and a row file per dataset (migration 008):
/// every change must leave each live key pointing at one stored row holding its current values, listed under its
/// current region, or snapshots would serve stale or leaked rows.
/// </summary>
public sealed class KeyIndexTests
{
    [Fact]
    public async Task Changes_moves_and_deletes_leave_exactly_one_current_row_per_live_key_and_snapshots_agree()
    {
        await using var server = await BackflowServer.StartAsync();
        var dataset = server.Dataset();
        await server.PublishAsync(
            TestRow.CsvOf(new TestRow("C", "丙", "330106"), new TestRow("A", "甲", "330106"), new TestRow("B", "乙", "330106"), new TestRow("D", "丁", "330108")));

        var changed = new TestRow("A", "甲改", "330106", 99.5m);
        var moved = new TestRow("B", "乙", "330108");
        var added = new TestRow("E", "戊", "330106");
        await server.PublishAsync(TestRow.CsvOf(changed, moved, added), deletes: "id\nC\n");

        TestRow[] live = [changed, moved, added, new TestRow("D", "丁", "330108")];
        using (var connection = server.Get<MetadataDatabase>().Open())
        {
            var stored = StoredRows.All(connection);
            var encoder = new CanonicalEncoder();
            Assert.Equal(
                live.Select(r => r.Region + " " + Convert.ToHexString(encoder.EncodeRow(dataset, r.Values))).Order(StringComparer.Ordinal),
                stored.Select(s => s.Region + " " + Convert.ToHexString(s.Data)).Order(StringComparer.Ordinal));

            // region_rows (migration 007) names every live row in its current region, and nothing else.
            Assert.Equal(
                connection.Query<string>("SELECT dataset || ' ' || region || ' ' || data_id FROM key_index ORDER BY 1"),
                connection.Query<string>("SELECT dataset || ' ' || region || ' ' || data_id FROM region_rows ORDER BY 1"));
        }

        // A snapshot checks what it read from the index against the feed's incremental checksum, and refuses a difference.
        var snapshots = await server.Get<SnapshotBuilder>().BuildAsync(dataset.Id, null, newGeneration: false, "test", CancellationToken.None);
        Assert.Equal(["330106", "330108"], snapshots.Select(s => s.Region).Order(StringComparer.Ordinal));
        Assert.Equal(TestRow.ChecksumOf(dataset, live.Where(r => r.Region == "330106")).SumHex, snapshots.Single(s => s.Region == "330106").Checksum);
    }
}
