using Backflow.Agent.Loading;
using Backflow.Agent.Tests.Loading;
using Backflow.Agent.Tests.Support;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Manifests;
using static Backflow.Agent.Tests.Loading.LoadHarness;
using static Backflow.Agent.Tests.Loading.LoadingDatasets;

namespace Backflow.Agent.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLoadTargetTests(PostgresServer server)
{
    [Fact]
    public async Task The_first_apply_creates_the_table_with_catalog_columns_native_types_and_a_region_led_key()
    {
        await using var h = await PostgresHarness.StartAsync(server);

        await h.Load.ApplyAsync(1, [Upsert(Row(1))]);

        Assert.Equal(
            string.Join(",", EveryType.Columns.Select(c => c.Name)),
            await h.ScalarAsync("SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'public.every_type'::regclass AND attnum > 0"));
        Assert.Equal(
            "bigint,text,text,text,integer,integer,bigint,numeric(28,4),numeric(18,2),double precision,boolean,boolean,date,timestamp with time zone,timestamp with time zone,bytea",
            await h.ScalarAsync("SELECT string_agg(format_type(atttypid, atttypmod), ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'public.every_type'::regclass AND attnum > 0"));
        Assert.Equal("region,id", await h.ScalarAsync(
            "SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM pg_index i CROSS JOIN unnest(i.indkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE i.indrelid = 'public.every_type'::regclass AND i.indisprimary"));
        Assert.Equal(true, await h.ScalarAsync("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.every_type'::regclass AND attname = 'amount'"));
        Assert.Equal(false, await h.ScalarAsync("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.every_type'::regclass AND attname = 'note'"));
        Assert.Equal(1L, await h.ScalarAsync("SELECT count(*) FROM pg_index WHERE indrelid = 'public.every_type'::regclass"));
    }

    [Fact]
    public async Task Every_type_round_trips_exactly_and_the_recomputed_checksum_equals_the_manifest_state()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        object?[] full =
        [
            7L, Region, "浙江省杭州市", string.Empty, int.MinValue, int.MaxValue, long.MinValue,
            -999_999_999_999_999_999_999_999.9999m, 12.30m, double.NaN, false, true, new DateOnly(1, 1, 1),
            new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990), new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990), Array.Empty<byte>(),
        ];
        object?[] extremes = Row(8);
        extremes[9] = double.NegativeInfinity;
        extremes[15] = new byte[] { 0, 255 };
        extremes[13] = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
        extremes[12] = new DateOnly(9999, 12, 31);
        object?[] negativeZero = Row(9, amount: -0.0001m);
        negativeZero[9] = -0.0;
        negativeZero[8] = 0m;

        var result = await h.Load.ApplyAsync(1, [Upsert(full), Upsert(extremes), Upsert(negativeZero), Upsert(Row(10))]);

        var rows = await h.ReadTableAsync();
        object?[][] expected = [full, extremes, negativeZero, Row(10)];
        Assert.Equal(expected.Length, rows.Count);
        for (var r = 0; r < expected.Length; r++)
        {
            for (var c = 0; c < full.Length; c++)
            {
                Assert.Equal(expected[r][c], rows[r][c]);
            }
        }

        Assert.Equal(DateTimeKind.Utc, ((DateTime)rows[0][13]!).Kind);
        var recomputed = await h.Target.RecomputeAsync(EveryType, Region, CancellationToken.None);
        Assert.Equal((result.RowCount, result.Checksum), (recomputed.RowCount, recomputed.SumHex));
        Assert.Equal(h.Load.Model().Checksum(), recomputed);

        // What a county user's SQL sees: real dates (not -infinity), NaN, and '' distinct from NULL.
        Assert.Equal("0001-01-01|NaN|true|false", await h.ScalarAsync("SELECT born_n::text || '|' || ratio_n::text || '|' || (note = '')::text || '|' || (note IS NULL)::text FROM every_type WHERE id = 7"));
        Assert.Equal("0001-01-01 00:00:00", await h.ScalarAsync("SELECT (seen AT TIME ZONE 'UTC')::text FROM every_type WHERE id = 8"));
    }

    [Fact]
    public async Task A_string_with_a_nul_character_is_refused_naming_the_column_and_row_and_nothing_is_applied()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1))]);
        var bad = Row(3);
        bad[3] = "before\0after";

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => h.Load.ApplyAsync(2, [Upsert(Row(2)), Upsert(bad)]));

        Assert.Contains("row group 0, row 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("column 'note'", error.Message, StringComparison.Ordinal);
        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
        Assert.Single(await h.ReadTableAsync());
        Assert.Equal(1, (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task Upserts_updates_and_deletes_keep_the_checksum_equal_to_the_servers()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1)), Upsert(Row(2)), Upsert(Row(3))]);

        var result = await h.Load.ApplyAsync(2, [Upsert(Row(2, amount: 5.5m)), Delete(Key(3)), Upsert(Row(4)), Delete(Key(99))]);

        Assert.Equal(new ApplyResult(2, 2, 2, 3, h.Load.Model().Checksum().SumHex, false), result);
        var rows = await h.ReadTableAsync();
        Assert.Equal([1L, 2L, 4L], rows.Select(r => (long)r[0]!));
        Assert.Equal(5.5m, rows.Single(r => (long)r[0]! == 2)[7]);
        var position = await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None);
        Assert.Equal(new FeedPosition(EveryType.Id, Region, 2, 1, EveryType.SchemaHash, 3, result.Checksum, h.Load.Time.GetUtcNow()), position);
    }

    [Fact]
    public async Task A_snapshot_of_exactly_the_applied_state_is_recorded_without_reading_a_row_and_any_other_is_not()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await LoadTargetContract.RecordsOnlyAnUnchangedNextSnapshotAsync(h.Load);
    }

    [Fact]
    public async Task Applying_an_already_applied_sequence_changes_nothing()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        var first = await h.Load.ApplyAsync(1, [Upsert(Row(1))]);
        h.Load.Time.Advance(TimeSpan.FromHours(1));

        var again = await h.Load.ApplyAsync(1, [Upsert(Row(2))], state: new ManifestState(5, 5));

        Assert.True(again.AlreadyApplied);
        Assert.Equal((1L, first.Checksum), (again.RowCount, again.Checksum));
        Assert.Single(await h.ReadTableAsync());
        var position = await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero), position!.AppliedAt);
    }

    [Fact]
    public async Task A_gap_throws_naming_expected_and_got_and_changes_nothing()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1))]);

        var error = await Assert.ThrowsAsync<SequenceGapException>(() => h.Load.ApplyAsync(3, [Upsert(Row(2))]));

        Assert.Contains("expected sequence 2 but got delta 3", error.Message, StringComparison.Ordinal);
        Assert.Single(await h.ReadTableAsync());
        Assert.Equal(1, (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task A_wrong_state_checksum_rolls_back_and_says_how_to_repair()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1))]);
        var before = await h.ReadTableAsync();

        var error = await Assert.ThrowsAsync<LocalCopyDivergedException>(
            () => h.Load.ApplyAsync(2, [Upsert(Row(1, amount: 9m)), Upsert(Row(2))], state: new ManifestState(2, 0x1234)));

        Assert.Contains("0000000000001234", error.Message, StringComparison.Ordinal);
        Assert.Contains("local copy has 2 rows", error.Message, StringComparison.Ordinal);
        Assert.Contains("run `backflow-agent repair --dataset every-type`", error.Message, StringComparison.OrdinalIgnoreCase);
        var after = await h.ReadTableAsync();
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(before[0], after[0]);
        Assert.Equal(1, (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task A_snapshot_of_a_newer_generation_replaces_the_regions_rows_but_leaves_other_regions()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1)), Upsert(Row(2))]);
        await h.Load.ApplyAsync(1, [Upsert(Row(1, OtherRegion)), Upsert(Row(5, OtherRegion))], region: OtherRegion);

        var result = await h.Load.ApplyAsync(7, [Upsert(Row(2, name: "新")), Upsert(Row(3))], ExtractKind.Snapshot, generation: 2, rowGroupSize: 1);

        Assert.Equal(2, result.RowCount);
        Assert.Equal([2L, 3L], (await h.ReadTableAsync(region: Region)).Select(r => (long)r[0]!));
        Assert.Equal("新", (await h.ReadTableAsync(region: Region))[0][2]);
        Assert.Equal([1L, 5L], (await h.ReadTableAsync(region: OtherRegion)).Select(r => (long)r[0]!));
        Assert.Equal(h.Load.Model(OtherRegion).Checksum(), await h.Target.RecomputeAsync(EveryType, OtherRegion, CancellationToken.None));
        Assert.Equal(2, (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!.Generation);
        await h.Load.ApplyAsync(8, [Upsert(Row(4))], generation: 2);
    }

    [Fact]
    public async Task A_row_of_another_region_in_a_later_row_group_is_rejected_and_the_previous_sequence_stays()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1))]);
        var before = await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None);
        var rows = Enumerable.Range(10, 20).Select(i => Upsert(Row(i))).Append(Upsert(Row(99, OtherRegion))).ToArray();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => h.Load.ApplyAsync(2, rows, rowGroupSize: 5));

        Assert.Contains("row group 4, row 0", error.Message, StringComparison.Ordinal);
        Assert.Contains(OtherRegion, error.Message, StringComparison.Ordinal);
        Assert.Single(await h.ReadTableAsync());
        Assert.Equal(before, await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None));
        await h.Load.ApplyAsync(2, [Upsert(Row(2))]); // and the feed carries on from there
    }

    [Fact]
    public async Task A_key_twice_in_one_extract_is_refused_with_the_key_named()
    {
        await using var h = await PostgresHarness.StartAsync(server);

        var error = await Assert.ThrowsAsync<InvalidDataException>(
            () => h.Load.ApplyAsync(1, [Upsert(Row(1)), Upsert(Row(1, name: "again"))], ExtractKind.Snapshot));

        Assert.Contains("(region, id)=(330106, 1)", error.Message, StringComparison.Ordinal);
        Assert.Null(await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None));
    }

    [Fact]
    public async Task Cancelling_an_apply_leaves_the_previous_sequence_intact()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1))]);
        var rows = new[] { Upsert(Row(2)) };
        var manifest = Manifest(EveryType, Region, 2, ExtractKind.Delta, 1, rows, new ManifestState(2, 0));
        var path = await h.Load.WriteExtractAsync(EveryType, manifest, rows);
        await using var file = File.OpenRead(path);
        await using var reader = await ExtractReader.OpenAsync(file, EveryType);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Target.ApplyAsync(EveryType, manifest, reader, new CancellationToken(canceled: true)));

        Assert.Single(await h.ReadTableAsync());
        Assert.Equal(1, (await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task Recompute_of_a_dataset_never_loaded_is_empty()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        Assert.Equal(default, await h.Target.RecomputeAsync(EveryType, Region, CancellationToken.None));
    }
}
