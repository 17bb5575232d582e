using Backflow.Agent.Loading;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Manifests;
using static Backflow.Agent.Tests.Loading.LoadHarness;
using static Backflow.Agent.Tests.Loading.LoadingDatasets;

namespace Backflow.Agent.Tests.Loading;

public sealed class SqliteLoadTargetTests
{
    [Fact]
    public async Task The_first_apply_creates_the_table_with_catalog_columns_and_a_region_led_key()
    {
        await using var h = new LoadHarness();

        await h.ApplyAsync(1, [Upsert(Row(1))]);

        Assert.Equal(
            string.Join(",", EveryType.Columns.Select(c => c.Name)),
            await h.ScalarAsync("SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('every_type') ORDER BY cid)"));
        Assert.Equal("region,id", await h.ScalarAsync("SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('every_type') WHERE pk > 0 ORDER BY pk)"));
        Assert.Equal(1L, await h.ScalarAsync("SELECT \"notnull\" FROM pragma_table_info('every_type') WHERE name = 'amount'"));
        Assert.Equal(0L, await h.ScalarAsync("SELECT \"notnull\" FROM pragma_table_info('every_type') WHERE name = 'note'"));
        Assert.Equal(0L, await h.ScalarAsync("SELECT count(*) FROM pragma_index_list('every_type') WHERE origin = 'c'"));
        Assert.Equal("wal", await h.ScalarAsync("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Every_type_round_trips_exactly_through_an_applied_extract()
    {
        await using var h = new LoadHarness();
        object?[] full =
        [
            7L, Region, "浙江省杭州市", string.Empty, int.MinValue, int.MaxValue, long.MinValue,
            -999_999_999_999_999_999_999_999.9999m, 12.30m, double.NaN, false, true, new DateOnly(1, 1, 1),
            new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990), new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990), Array.Empty<byte>(),
        ];
        object?[] infinities = Row(8);
        infinities[9] = double.NegativeInfinity;
        infinities[15] = new byte[] { 0 };

        await h.ApplyAsync(1, [Upsert(full), Upsert(infinities), Upsert(Row(9))]);

        var rows = await h.ReadTableAsync();
        Assert.Equal(3, rows.Count);
        for (var c = 0; c < full.Length; c++)
        {
            Assert.Equal(full[c], rows[0][c]);
            Assert.Equal(infinities[c], rows[1][c]);
            Assert.Equal(Row(9)[c], rows[2][c]);
        }
    }

    [Fact]
    public async Task Upserts_updates_and_deletes_keep_the_checksum_equal_to_the_servers()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1)), Upsert(Row(2)), Upsert(Row(3))]);

        var result = await h.ApplyAsync(2, [Upsert(Row(2, amount: 5.5m)), Delete(Key(3)), Upsert(Row(4)), Delete(Key(99))]);

        Assert.Equal(new ApplyResult(2, 2, 2, 3, h.Model().Checksum().SumHex, false), result);
        var rows = await h.ReadTableAsync();
        Assert.Equal([1L, 2L, 4L], rows.Select(r => (long)r[0]!).Order());
        Assert.Equal(5.5m, rows.Single(r => (long)r[0]! == 2)[7]);
        var position = await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None);
        Assert.Equal(new FeedPosition(EveryType.Id, Region, 2, 1, EveryType.SchemaHash, 3, result.Checksum, h.Time.GetUtcNow()), position);
    }

    [Fact]
    public async Task A_snapshot_of_exactly_the_applied_state_is_recorded_without_reading_a_row_and_any_other_is_not()
    {
        await using var h = new LoadHarness();
        await LoadTargetContract.RecordsOnlyAnUnchangedNextSnapshotAsync(h);
    }

    [Fact]
    public async Task Applying_an_already_applied_sequence_changes_nothing()
    {
        await using var h = new LoadHarness();
        var first = await h.ApplyAsync(1, [Upsert(Row(1))]);
        h.Time.Advance(TimeSpan.FromHours(1));

        var again = await h.ApplyAsync(1, [Upsert(Row(2))], state: new ManifestState(5, 5));

        Assert.True(again.AlreadyApplied);
        Assert.Equal((1L, first.Checksum), (again.RowCount, again.Checksum));
        Assert.Single(await h.ReadTableAsync());
        var position = await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero), position!.AppliedAt);
    }

    [Fact]
    public async Task A_gap_throws_naming_expected_and_got_and_changes_nothing()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1))]);

        var error = await Assert.ThrowsAsync<SequenceGapException>(() => h.ApplyAsync(3, [Upsert(Row(2))]));

        Assert.Contains("expected sequence 2 but got delta 3", error.Message, StringComparison.Ordinal);
        Assert.Single(await h.ReadTableAsync());
        Assert.Equal(1, (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task A_first_delta_must_be_sequence_one()
    {
        await using var h = new LoadHarness();

        var error = await Assert.ThrowsAsync<SequenceGapException>(() => h.ApplyAsync(4, [Upsert(Row(1))]));

        Assert.Contains("expected sequence 1", error.Message, StringComparison.Ordinal);
        Assert.Null(await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None));
    }

    [Fact]
    public async Task A_delta_of_a_newer_generation_asks_for_the_snapshot()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1))]);

        var error = await Assert.ThrowsAsync<SequenceGapException>(() => h.ApplyAsync(2, [Upsert(Row(2))], generation: 2));

        Assert.Contains("generation changed", error.Message, StringComparison.Ordinal);
        Assert.Contains("load the snapshot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snapshot_of_a_newer_generation_rebases_the_region()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1)), Upsert(Row(2))]);

        var result = await h.ApplyAsync(5, [Upsert(Row(3))], ExtractKind.Snapshot, generation: 2);

        Assert.Equal(1, result.RowCount);
        Assert.Equal([3L], (await h.ReadTableAsync()).Select(r => (long)r[0]!));
        Assert.Equal(2, (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!.Generation);
        await h.ApplyAsync(6, [Upsert(Row(4))], generation: 2);
    }

    [Fact]
    public async Task A_wrong_state_checksum_rolls_back_and_says_how_to_repair()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1))]);
        var before = await h.ReadTableAsync();

        var error = await Assert.ThrowsAsync<LocalCopyDivergedException>(
            () => h.ApplyAsync(2, [Upsert(Row(1, amount: 9m)), Upsert(Row(2))], state: new ManifestState(2, 0x1234)));

        Assert.Contains("0000000000001234", error.Message, StringComparison.Ordinal);
        Assert.Contains("local copy has 2 rows", error.Message, StringComparison.Ordinal);
        Assert.Contains("server has 2 rows", error.Message, StringComparison.Ordinal);
        Assert.Contains("run `backflow-agent repair --dataset every-type`", error.Message, StringComparison.OrdinalIgnoreCase);
        var after = await h.ReadTableAsync();
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(before[0], after[0]);
        Assert.Equal(1, (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task A_snapshot_replaces_the_regions_rows_but_leaves_other_regions()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1)), Upsert(Row(2))]);
        await h.ApplyAsync(1, [Upsert(Row(1, OtherRegion)), Upsert(Row(5, OtherRegion))], region: OtherRegion);

        await h.ApplyAsync(2, [Upsert(Row(2, name: "新")), Upsert(Row(3))], ExtractKind.Snapshot);

        Assert.Equal([2L, 3L], (await h.ReadTableAsync(region: Region)).Select(r => (long)r[0]!).Order());
        Assert.Equal([1L, 5L], (await h.ReadTableAsync(region: OtherRegion)).Select(r => (long)r[0]!).Order());
        Assert.Equal(h.Model(OtherRegion).Checksum(), await h.Target.RecomputeAsync(EveryType, OtherRegion, CancellationToken.None));
    }

    [Fact]
    public async Task A_row_of_another_region_is_rejected_and_nothing_is_applied()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1))]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => h.ApplyAsync(2, [Upsert(Row(2)), Upsert(Row(3, OtherRegion))]));

        Assert.Contains("row group 0, row 1", error.Message, StringComparison.Ordinal);
        Assert.Contains(OtherRegion, error.Message, StringComparison.Ordinal);
        Assert.Single(await h.ReadTableAsync());
    }

    [Fact]
    public async Task A_failure_in_a_later_row_group_leaves_the_previous_sequence_intact()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1))]);
        var before = await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None);
        var rows = Enumerable.Range(10, 20).Select(i => Upsert(Row(i))).Append(Upsert(Row(99, OtherRegion))).ToArray();

        await Assert.ThrowsAsync<InvalidDataException>(() => h.ApplyAsync(2, rows, rowGroupSize: 5));

        Assert.Single(await h.ReadTableAsync());
        Assert.Equal(before, await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None));
        await h.ApplyAsync(2, [Upsert(Row(2))]); // and the feed carries on from there
    }

    [Fact]
    public async Task Cancelling_an_apply_leaves_the_previous_sequence_intact()
    {
        await using var h = new LoadHarness();
        await h.ApplyAsync(1, [Upsert(Row(1))]);
        var rows = new[] { Upsert(Row(2)) };
        var manifest = Manifest(EveryType, Region, 2, ExtractKind.Delta, 1, rows, new ManifestState(2, 0));
        var path = await h.WriteExtractAsync(EveryType, manifest, rows);
        await using var file = File.OpenRead(path);
        await using var reader = await ExtractReader.OpenAsync(file, EveryType);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Target.ApplyAsync(EveryType, manifest, reader, new CancellationToken(canceled: true)));

        Assert.Single(await h.ReadTableAsync());
        Assert.Equal(1, (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task The_recomputed_checksum_equals_the_incrementally_maintained_one()
    {
        await using var h = new LoadHarness();
        var random = new Random(7);
        for (var sequence = 1; sequence <= 6; sequence++)
        {
            var rows = Enumerable.Range(0, 40).Select(_ =>
            {
                var id = random.Next(60);
                var row = Row(id, amount: random.Next(-1000, 1000) / 100m);
                row[9] = random.Next(5) == 0 ? double.NaN : random.Next(3) == 0 ? -0.0 : random.NextDouble();
                row[15] = random.Next(4) == 0 ? Array.Empty<byte>() : null;
                return random.Next(4) == 0 ? Delete(Key(id)) : Upsert(row);
            }).DistinctBy(r => (long)r.Values[0]!).ToArray();
            await h.ApplyAsync(sequence, rows, rowGroupSize: 16);
        }

        var position = await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None);
        var recomputed = await h.Target.RecomputeAsync(EveryType, Region, CancellationToken.None);

        Assert.Equal((position!.RowCount, position.Checksum), (recomputed.RowCount, recomputed.SumHex));
        Assert.Equal(h.Model().Checksum(), recomputed);
    }

    [Fact]
    public async Task Recompute_of_a_dataset_never_loaded_is_empty()
    {
        await using var h = new LoadHarness();
        Assert.Equal(default, await h.Target.RecomputeAsync(EveryType, Region, CancellationToken.None));
    }
}
