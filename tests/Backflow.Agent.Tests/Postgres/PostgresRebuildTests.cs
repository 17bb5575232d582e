using Backflow.Agent.Loading;
using Backflow.Agent.Tests.Support;
using Backflow.Protocol.Manifests;
using static Backflow.Agent.Tests.Loading.LoadHarness;
using static Backflow.Agent.Tests.Loading.LoadingDatasets;

namespace Backflow.Agent.Tests.Postgres;

/// <summary>A re-base after a breaking schema change on PostgreSQL: the first snapshot of the new generation rebuilds the table, all or nothing.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRebuildTests(PostgresServer server)
{
    private const string SetAside = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'every\\_type\\_\\_replaced\\_%'";
    private const string AmountType = "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.every_type'::regclass AND attname = 'amount'";

    [Fact]
    public async Task The_snapshot_of_a_new_generation_under_a_changed_type_rebuilds_the_table()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1, amount: 1.2345m)), Upsert(Row(2))]);

        var result = await h.Load.ApplyAsync(2, [Upsert(Row(2, amount: 7.5m, dataset: EveryTypeNarrowAmount)), Upsert(Row(3, dataset: EveryTypeNarrowAmount))],
            ExtractKind.Snapshot, generation: 2, dataset: EveryTypeNarrowAmount);

        Assert.True(result.Rebuilt);
        Assert.Contains("column 'amount'", result.RebuildReason, StringComparison.Ordinal);
        Assert.Equal([2L, 3L], (await h.ReadTableAsync(EveryTypeNarrowAmount)).Select(r => (long)r[0]!).Order());
        Assert.Equal("numeric(18,2)", await h.ScalarAsync(AmountType));
        Assert.Equal(0L, await h.ScalarAsync(SetAside));
        var position = (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!;
        Assert.Equal((2L, 2, EveryTypeNarrowAmount.SchemaHash), (position.Sequence, position.Generation, position.SchemaHash));
        Assert.Equal(new Backflow.Protocol.Rows.RegionChecksum(position.RowCount, Convert.ToUInt64(position.Checksum, 16)),
            await h.Target.RecomputeAsync(EveryTypeNarrowAmount, Region, CancellationToken.None));
    }

    [Fact]
    public async Task A_rebuild_that_fails_keeps_the_old_table_its_schema_and_its_rows()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1, amount: 1.2345m)), Upsert(Row(2))]);
        var before = await h.ReadTableAsync();

        // The snapshot's rows do not add up to its manifest's state: the apply fails after the table was renamed aside,
        // the new one created and the rows written.
        await Assert.ThrowsAsync<LocalCopyDivergedException>(() => h.Load.ApplyAsync(
            2, [Upsert(Row(3, dataset: EveryTypeNarrowAmount))], ExtractKind.Snapshot, generation: 2, dataset: EveryTypeNarrowAmount, state: new ManifestState(1, 42)));

        Assert.Equal(before, await h.ReadTableAsync());
        Assert.Equal("numeric(28,4)", await h.ScalarAsync(AmountType));
        Assert.Equal(0L, await h.ScalarAsync(SetAside));
        var position = (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!;
        Assert.Equal((1L, 1, EveryType.SchemaHash), (position.Sequence, position.Generation, position.SchemaHash));
    }

    [Fact]
    public async Task A_snapshot_of_the_same_generation_never_rebuilds_and_names_the_column()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1))]);

        var error = await Assert.ThrowsAsync<TableIncompatibleException>(() => h.Load.ApplyAsync(
            2, [Upsert(Row(1, dataset: EveryTypeNarrowAmount))], ExtractKind.Snapshot, generation: 1, dataset: EveryTypeNarrowAmount));

        Assert.Contains("column 'amount'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task Other_regions_wait_in_the_set_aside_table_until_their_own_snapshot_loads()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1)), Upsert(Row(2))]);
        await h.Load.ApplyAsync(1, [Upsert(Row(11, OtherRegion)), Upsert(Row(12, OtherRegion))], region: OtherRegion);

        await h.Load.ApplyAsync(2, [Upsert(Row(1, dataset: EveryTypeNarrowAmount))], ExtractKind.Snapshot, generation: 2, dataset: EveryTypeNarrowAmount);

        // The other region's rows are kept aside, not dropped, and its position is forgotten so that it bootstraps.
        Assert.Equal(1L, await h.ScalarAsync(SetAside));
        Assert.Null(await h.Target.GetPositionAsync(EveryType.Id, OtherRegion, CancellationToken.None));
        Assert.Single(await h.ReadTableAsync(EveryTypeNarrowAmount));

        var other = await h.Load.ApplyAsync(2, [Upsert(Row(11, OtherRegion, dataset: EveryTypeNarrowAmount)), Upsert(Row(12, OtherRegion, dataset: EveryTypeNarrowAmount))],
            ExtractKind.Snapshot, region: OtherRegion, generation: 2, dataset: EveryTypeNarrowAmount);

        Assert.False(other.Rebuilt);
        Assert.Equal(0L, await h.ScalarAsync(SetAside));
        Assert.Equal(3, (await h.ReadTableAsync(EveryTypeNarrowAmount)).Count);
    }

    [Fact]
    public async Task A_second_rebuild_of_the_same_table_does_not_collide_with_the_first_set_aside_key()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1))]);
        await h.Load.ApplyAsync(1, [Upsert(Row(11, OtherRegion))], region: OtherRegion);
        await h.Load.ApplyAsync(2, [Upsert(Row(1, dataset: EveryTypeNarrowAmount))], ExtractKind.Snapshot, generation: 2, dataset: EveryTypeNarrowAmount);

        // The other region has not reloaded yet, so the first set-aside table is still there when the schema changes back.
        var again = await h.Load.ApplyAsync(3, [Upsert(Row(1))], ExtractKind.Snapshot, generation: 3);

        Assert.True(again.Rebuilt);
        Assert.Equal("numeric(28,4)", await h.ScalarAsync(AmountType));
        Assert.Single(await h.ReadTableAsync());
    }

    [Fact]
    public async Task A_diverged_flag_survives_a_round_trip_through_the_health_table()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        var health = new FeedHealth(EveryType.Id, Region, 4, 1, true, "local copy diverged", null, null, null, Diverged: true);

        await h.Target.SaveHealthAsync(health, CancellationToken.None);

        Assert.True((await h.Target.GetHealthAsync(EveryType.Id, Region, CancellationToken.None))!.Diverged);
        await h.Target.SaveHealthAsync(health with { Diverged = false }, CancellationToken.None);
        Assert.False((await h.Target.GetHealthAsync(EveryType.Id, Region, CancellationToken.None))!.Diverged);
    }
}
