using Backflow.Agent.Loading;
using Backflow.Protocol.Manifests;
using static Backflow.Agent.Tests.Loading.LoadHarness;
using static Backflow.Agent.Tests.Loading.LoadingDatasets;

namespace Backflow.Agent.Tests.Loading;

/// <summary>A re-base after a breaking schema change: the first snapshot of the new generation rebuilds the table, all or nothing.</summary>
public sealed class SqliteRebuildTests
{
    private const string SetAside = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'every_type__replaced_%'";

    [Fact]
    public async Task The_snapshot_of_a_new_generation_under_a_changed_type_rebuilds_the_table()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1, amount: 1.2345m)), Upsert(Row(2))]);

        var result = await h.ApplyAsync(2, [Upsert(Row(2, amount: 7.5m, dataset: EveryTypeNarrowAmount)), Upsert(Row(3, dataset: EveryTypeNarrowAmount))],
            ExtractKind.Snapshot, generation: 2, dataset: EveryTypeNarrowAmount);

        Assert.True(result.Rebuilt);
        Assert.Contains("column 'amount'", result.RebuildReason, StringComparison.Ordinal);
        Assert.Equal([2L, 3L], (await h.ReadTableAsync(EveryTypeNarrowAmount)).Select(r => (long)r[0]!).Order());
        Assert.Equal("DECIMAL_TEXT(18,2)", await h.ScalarAsync("SELECT type FROM pragma_table_info('every_type') WHERE name = 'amount'"));
        Assert.Equal(0L, await h.ScalarAsync(SetAside));
        var position = (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!;
        Assert.Equal((2L, 2, EveryTypeNarrowAmount.SchemaHash), (position.Sequence, position.Generation, position.SchemaHash));
        Assert.Equal(new Backflow.Protocol.Rows.RegionChecksum(position.RowCount, Convert.ToUInt64(position.Checksum, 16)),
            await h.Target.RecomputeAsync(EveryTypeNarrowAmount, Region, CancellationToken.None));
    }

    [Fact]
    public async Task A_removed_column_is_dropped_by_the_rebuild_not_before()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1, dataset: EveryTypeWithRemark))], dataset: EveryTypeWithRemark);

        await Assert.ThrowsAsync<TableIncompatibleException>(() => h.ApplyAsync(2, [Upsert(Row(2))]));
        var result = await h.ApplyAsync(2, [Upsert(Row(1)), Upsert(Row(2))], ExtractKind.Snapshot, generation: 2);

        Assert.True(result.Rebuilt);
        Assert.Equal(0L, await h.ScalarAsync("SELECT count(*) FROM pragma_table_info('every_type') WHERE name = 'remark'"));
        Assert.Equal(2, (await h.ReadTableAsync()).Count);
    }

    [Fact]
    public async Task A_rebuild_that_fails_keeps_the_old_table_its_schema_and_its_rows()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1, amount: 1.2345m)), Upsert(Row(2))]);
        var before = await h.ReadTableAsync();

        // The snapshot's rows do not add up to its manifest's state: the apply fails after the table was renamed aside,
        // the new one created and the rows written.
        await Assert.ThrowsAsync<LocalCopyDivergedException>(() => h.ApplyAsync(
            2, [Upsert(Row(3, dataset: EveryTypeNarrowAmount))], ExtractKind.Snapshot, generation: 2, dataset: EveryTypeNarrowAmount, state: new ManifestState(1, 42)));

        Assert.Equal(before, await h.ReadTableAsync());
        Assert.Equal("DECIMAL_TEXT(28,4)", await h.ScalarAsync("SELECT type FROM pragma_table_info('every_type') WHERE name = 'amount'"));
        Assert.Equal(0L, await h.ScalarAsync(SetAside));
        var position = (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!;
        Assert.Equal((1L, 1, EveryType.SchemaHash), (position.Sequence, position.Generation, position.SchemaHash));
    }

    [Fact]
    public async Task A_snapshot_of_the_same_generation_never_rebuilds_and_names_the_column()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1))]);

        var error = await Assert.ThrowsAsync<TableIncompatibleException>(() => h.ApplyAsync(
            2, [Upsert(Row(1, dataset: EveryTypeNarrowAmount))], ExtractKind.Snapshot, generation: 1, dataset: EveryTypeNarrowAmount));

        Assert.Contains("column 'amount'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task Other_regions_wait_in_the_set_aside_table_until_their_own_snapshot_loads()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1)), Upsert(Row(2))]);
        await h.ApplyAsync(1, [Upsert(Row(11, OtherRegion)), Upsert(Row(12, OtherRegion))], region: OtherRegion);

        await h.ApplyAsync(2, [Upsert(Row(1, dataset: EveryTypeNarrowAmount))], ExtractKind.Snapshot, generation: 2, dataset: EveryTypeNarrowAmount);

        // The other region's rows are kept aside, not dropped, and its position is forgotten so that it bootstraps.
        Assert.Equal(1L, await h.ScalarAsync(SetAside));
        Assert.Null(await h.Target.GetPositionAsync(EveryType.Id, OtherRegion, CancellationToken.None));
        Assert.Single(await h.ReadTableAsync(EveryTypeNarrowAmount));

        var other = await h.ApplyAsync(2, [Upsert(Row(11, OtherRegion, dataset: EveryTypeNarrowAmount)), Upsert(Row(12, OtherRegion, dataset: EveryTypeNarrowAmount))],
            ExtractKind.Snapshot, region: OtherRegion, generation: 2, dataset: EveryTypeNarrowAmount);

        Assert.False(other.Rebuilt);
        Assert.Equal(0L, await h.ScalarAsync(SetAside));
        Assert.Equal(3, (await h.ReadTableAsync(EveryTypeNarrowAmount)).Count);
    }

    [Fact]
    public async Task A_second_rebuild_of_the_same_table_does_not_collide_with_the_first_set_aside_table()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1))]);
        await h.ApplyAsync(1, [Upsert(Row(11, OtherRegion))], region: OtherRegion);
        await h.ApplyAsync(2, [Upsert(Row(1, dataset: EveryTypeNarrowAmount))], ExtractKind.Snapshot, generation: 2, dataset: EveryTypeNarrowAmount);

        // The other region has not reloaded yet, so the first set-aside table is still there when the schema changes back
        // (at the same instant: the harness's clock stands still).
        var again = await h.ApplyAsync(3, [Upsert(Row(1))], ExtractKind.Snapshot, generation: 3);

        // The second set-aside table held only this region's row, so it is dropped at once; the first still waits for the other region.
        Assert.True(again.Rebuilt);
        Assert.Equal(1L, await h.ScalarAsync(SetAside));
        Assert.Single(await h.ReadTableAsync());
    }
}
