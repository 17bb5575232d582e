using Backflow.Agent.Loading;
using Backflow.Agent.Loading.Sqlite;
using Backflow.Protocol.Manifests;
using static Backflow.Agent.Tests.Loading.LoadHarness;
using static Backflow.Agent.Tests.Loading.LoadingDatasets;

namespace Backflow.Agent.Tests.Loading;

public sealed class SqliteSchemaEvolutionTests
{
    [Fact]
    public async Task An_added_nullable_column_is_added_in_place_and_old_rows_read_null()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1)), Upsert(Row(2))]);
        var wide = EveryTypeWithRemark;
        var withRemark = Row(3, dataset: wide);
        withRemark[^1] = "备注";

        // The server's state after an additive change: the old rows' terms are unchanged (trailing nulls).
        var result = await h.ApplyAsync(2, [Upsert(withRemark)], dataset: wide);

        Assert.Equal(3, result.RowCount);
        var rows = await h.ReadTableAsync(wide);
        Assert.Equal([null, null, "备注"], rows.Select(r => r[^1]));
        Assert.Equal(wide.SchemaHash, (await h.Target.GetPositionAsync(wide.Id, Region, CancellationToken.None))!.SchemaHash);
        var recomputed = await h.Target.RecomputeAsync(wide, Region, CancellationToken.None);
        Assert.Equal((result.RowCount, result.Checksum), (recomputed.RowCount, recomputed.SumHex));
    }

    [Fact]
    public async Task A_region_led_table_is_accepted_again_and_region_scans_use_its_key()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1))]);
        await h.ApplyAsync(2, [Upsert(Row(2))]);

        Assert.Equal(2, (await h.ReadTableAsync()).Count);
        var layout = new SqliteTableLayout(EveryType, "every_type");
        await using var connection = await h.OpenAsync();
        foreach (var sql in new[] { layout.SelectRegion, layout.DeleteRegion })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + sql;
            command.Parameters.AddWithValue("$region", Region);
            await using var reader = await command.ExecuteReaderAsync();
            var plan = string.Empty;
            while (await reader.ReadAsync())
            {
                plan += reader.GetString(reader.GetOrdinal("detail")) + ";";
            }

            Assert.Contains("USING INDEX sqlite_autoindex_every_type_1 (region=?)", plan, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_table_keyed_region_last_is_refused_as_a_changed_primary_key()
    {
        await using var h = new LoadHarness();
        await using (var connection = await h.OpenAsync())
        {
            await using var command = connection.CreateCommand();
            var layout = new SqliteTableLayout(EveryType, "every_type");
            command.CommandText = layout.Create.Replace("PRIMARY KEY (\"region\", \"id\")", "PRIMARY KEY (\"id\", \"region\")", StringComparison.Ordinal);
            Assert.NotEqual(layout.Create, command.CommandText);
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<TableIncompatibleException>(() => h.ApplyAsync(1, [Upsert(Row(1))]));

        Assert.Contains("primary key changed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_column_type_is_refused_with_the_column_named_and_nothing_applied()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1))]);

        var error = await Assert.ThrowsAsync<TableIncompatibleException>(
            () => h.ApplyAsync(2, [Upsert(Row(2))], dataset: EveryTypeNarrowAmount));

        Assert.Contains("column 'amount'", error.Message, StringComparison.Ordinal);
        Assert.Contains("type changed", error.Message, StringComparison.Ordinal);
        Assert.Single(await h.ReadTableAsync());
        Assert.Equal(1, (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task An_added_not_null_column_is_refused()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1))]);
        var row = Row(2, dataset: EveryTypeWithRequired);
        row[^1] = "x";

        var error = await Assert.ThrowsAsync<TableIncompatibleException>(
            () => h.ApplyAsync(2, [Upsert(row)], dataset: EveryTypeWithRequired));

        Assert.Contains("column 'remark'", error.Message, StringComparison.Ordinal);
        Assert.Contains("NOT NULL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_column_the_dataset_no_longer_has_is_refused()
    {
        await using var h = new LoadHarness();
        var wide = EveryTypeWithRemark;
        await h.ApplyAsync(1, [Upsert(Row(1, dataset: wide))], dataset: wide);

        var error = await Assert.ThrowsAsync<TableIncompatibleException>(() => h.ApplyAsync(2, [Upsert(Row(2))]));

        Assert.Contains("column 'remark'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no longer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_without_the_region_is_stored_with_the_region_so_a_moved_row_lives_in_both_regions_until_deleted()
    {
        await using var h = new LoadHarness();
        object?[] Entity(string region) => ["91330106MA2xxxxx", region, "杭州某某公司"];
        await h.ApplyAsync(1, [Upsert(Entity(Region))], dataset: Entities, region: Region);

        // The move: upsert in the new region first, the old region's delete arrives in its own feed later.
        await h.ApplyAsync(1, [Upsert(Entity(OtherRegion))], dataset: Entities, region: OtherRegion);
        Assert.Equal(2, (await h.ReadTableAsync(Entities, table: "market_entities")).Count);
        await h.ApplyAsync(2, [Delete(Entity(Region)[..2].Append(null).ToArray())], dataset: Entities, region: Region);

        var rows = await h.ReadTableAsync(Entities, table: "market_entities");
        Assert.Equal(OtherRegion, Assert.Single(rows)[1]);
        Assert.Equal(0, (await h.Target.GetPositionAsync(Entities.Id, Region, CancellationToken.None))!.RowCount);
    }

    [Fact]
    public async Task A_table_name_override_is_used_and_invalid_names_are_refused()
    {
        await using var h = new LoadHarness(new TableNames(new Dictionary<string, string> { ["every-type"] = "scjg_every" }));
        await h.ApplyAsync(1, [Upsert(Row(1))]);
        Assert.Single(await h.ReadTableAsync(table: "scjg_every"));

        Assert.Throws<ArgumentException>(() => new TableNames(new Dictionary<string, string> { ["x"] = "bad name; DROP TABLE" }));
        Assert.Throws<ArgumentException>(() => new TableNames(new Dictionary<string, string> { ["x"] = "backflow_state" }));
        Assert.Throws<ArgumentException>(() => new TableNames(new Dictionary<string, string> { ["x"] = "sqlite_master" }));
        Assert.Equal("market_entities", TableNames.Default.Resolve("market-entities"));
    }

    [Fact]
    public async Task A_manifest_that_does_not_match_the_file_is_refused()
    {
        await using var h = new LoadHarness();
        var rows = new[] { Upsert(Row(1)) };
        var manifest = Manifest(EveryType, Region, 1, ExtractKind.Delta, 1, rows, new ManifestState(1, 0));
        var path = await h.WriteExtractAsync(EveryType, manifest, rows);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => h.ApplyFileAsync(EveryType, manifest with { Sequence = 2 }, path));

        Assert.Contains("not what the manifest describes", error.Message, StringComparison.Ordinal);
    }
}
