using Backflow.Agent.Loading;
using Backflow.Agent.Tests.Support;
using static Backflow.Agent.Tests.Loading.LoadHarness;
using static Backflow.Agent.Tests.Loading.LoadingDatasets;

namespace Backflow.Agent.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaEvolutionTests(PostgresServer server)
{
    [Fact]
    public async Task An_added_nullable_column_is_added_in_place_and_old_rows_read_null()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1)), Upsert(Row(2))]);
        var oid = await h.ScalarAsync("SELECT 'public.every_type'::regclass::oid");
        var wide = EveryTypeWithRemark;
        var withRemark = Row(3, dataset: wide);
        withRemark[^1] = "备注";

        var result = await h.Load.ApplyAsync(2, [Upsert(withRemark)], dataset: wide);

        Assert.Equal(3, result.RowCount);
        Assert.Equal(oid, await h.ScalarAsync("SELECT 'public.every_type'::regclass::oid"));
        Assert.Equal([null, null, "备注"], (await h.ReadTableAsync(wide)).Select(r => r[^1]));
        Assert.Equal(wide.SchemaHash, (await h.Target.GetPositionAsync(wide.Id, Region, CancellationToken.None))!.SchemaHash);
        var recomputed = await h.Target.RecomputeAsync(wide, Region, CancellationToken.None);
        Assert.Equal((result.RowCount, result.Checksum), (recomputed.RowCount, recomputed.SumHex));
    }

    [Fact]
    public async Task A_changed_column_type_is_refused_with_the_column_named_and_nothing_applied()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1))]);

        var error = await Assert.ThrowsAsync<Backflow.Agent.Loading.TableIncompatibleException>(() => h.Load.ApplyAsync(2, [Upsert(Row(2))], dataset: EveryTypeNarrowAmount));

        Assert.Contains("column 'amount'", error.Message, StringComparison.Ordinal);
        Assert.Contains("type changed: the table stores numeric(28,4)", error.Message, StringComparison.Ordinal);
        Assert.Single(await h.ReadTableAsync());
        Assert.Equal(1, (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task An_added_not_null_column_is_refused()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1))]);
        var row = Row(2, dataset: EveryTypeWithRequired);
        row[^1] = "x";

        var error = await Assert.ThrowsAsync<Backflow.Agent.Loading.TableIncompatibleException>(() => h.Load.ApplyAsync(2, [Upsert(row)], dataset: EveryTypeWithRequired));

        Assert.Contains("column 'remark'", error.Message, StringComparison.Ordinal);
        Assert.Contains("NOT NULL", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await h.ScalarAsync("SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.every_type'::regclass AND attname = 'remark'"));
    }

    [Fact]
    public async Task A_column_the_dataset_no_longer_has_is_refused()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        var wide = EveryTypeWithRemark;
        await h.Load.ApplyAsync(1, [Upsert(Row(1, dataset: wide))], dataset: wide);

        var error = await Assert.ThrowsAsync<Backflow.Agent.Loading.TableIncompatibleException>(() => h.Load.ApplyAsync(2, [Upsert(Row(2))]));

        Assert.Contains("column 'remark'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no longer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_keyed_region_last_is_refused_as_a_changed_primary_key()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        var create = new Backflow.Agent.Loading.Postgres.PostgresTableLayout(EveryType, "public", "every_type").Create;
        await h.ExecuteAsync(create.Replace("PRIMARY KEY (\"region\", \"id\")", "PRIMARY KEY (\"id\", \"region\")", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<Backflow.Agent.Loading.TableIncompatibleException>(() => h.Load.ApplyAsync(1, [Upsert(Row(1))]));

        Assert.Contains("primary key changed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_moved_row_lives_in_both_regions_until_the_old_regions_delete_arrives()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        object?[] Entity(string region) => ["91330106MA2xxxxx", region, "杭州某某公司"];
        await h.Load.ApplyAsync(1, [Upsert(Entity(Region))], dataset: Entities, region: Region);

        await h.Load.ApplyAsync(1, [Upsert(Entity(OtherRegion))], dataset: Entities, region: OtherRegion);
        Assert.Equal(2, (await h.ReadTableAsync(Entities)).Count);
        await h.Load.ApplyAsync(2, [Delete(Entity(Region)[..2].Append(null).ToArray())], dataset: Entities, region: Region);

        Assert.Equal(OtherRegion, Assert.Single(await h.ReadTableAsync(Entities))[1]);
        Assert.Equal(0, (await h.Target.GetPositionAsync(Entities.Id, Region, CancellationToken.None))!.RowCount);
        Assert.Equal(h.Load.Model(OtherRegion, Entities).Checksum(), await h.Target.RecomputeAsync(Entities, OtherRegion, CancellationToken.None));
    }

    [Fact]
    public async Task A_configured_schema_and_table_name_hold_the_data_and_the_state()
    {
        await using var h = await PostgresHarness.StartAsync(server, new TableNames(new Dictionary<string, string> { ["every-type"] = "scjg_every" }), schema: "county_data");

        await h.Load.ApplyAsync(1, [Upsert(Row(1))]);

        Assert.Single(await h.ReadTableAsync(table: "scjg_every"));
        Assert.Equal(1L, await h.ScalarAsync("SELECT sequence FROM county_data.backflow_state"));
        Assert.Equal(0L, await h.ScalarAsync("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }
}
