using Backflow.Agent.Tests.Support;
using Backflow.Protocol.Manifests;
using Npgsql;
using static Backflow.Agent.Tests.Loading.LoadHarness;
using static Backflow.Agent.Tests.Loading.LoadingDatasets;

namespace Backflow.Agent.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresConcurrencyTests(PostgresServer server)
{
    [Fact]
    public async Task Concurrent_applies_of_one_feed_are_serialised_and_the_second_is_a_no_op()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1))]);
        var rows = new[] { Upsert(Row(1, amount: 2m)), Upsert(Row(2)) };
        h.Load.Model().Apply(rows);
        var state = h.Load.Model().Checksum();
        var manifest = Manifest(EveryType, Region, 2, ExtractKind.Delta, 1, rows, new ManifestState(state.RowCount, state.Sum));
        var path = await h.Load.WriteExtractAsync(EveryType, manifest, rows);

        // Hold the feed's lock from outside, start both applies, and see both wait on it before letting them go.
        await using var holder = new NpgsqlConnection(h.ConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('backflow.feed:public/every-type/330106', 0))", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        var first = h.Load.ApplyFileAsync(EveryType, manifest, path);
        var second = h.Load.ApplyFileAsync(EveryType, manifest, path);
        await WaitForAdvisoryWaitersAsync(h, 2);
        Assert.False(first.IsCompleted || second.IsCompleted);
        await transaction.CommitAsync();

        var results = await Task.WhenAll(first, second);

        Assert.Equal([false, true], results.Select(r => r.AlreadyApplied).Order());
        Assert.All(results, r => Assert.Equal((2L, state.SumHex), (r.RowCount, r.Checksum)));
        Assert.Equal(2, (await h.ReadTableAsync()).Count);
        Assert.Equal(state, await h.Target.RecomputeAsync(EveryType, Region, CancellationToken.None));
    }

    [Fact]
    public async Task Two_regions_of_one_dataset_apply_at_once_without_touching_each_others_rows()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        await h.Load.ApplyAsync(1, [Upsert(Row(1)), Upsert(Row(2))]);
        await h.Load.ApplyAsync(1, [Upsert(Row(1, OtherRegion)), Upsert(Row(2, OtherRegion))], region: OtherRegion);

        // The same keys in both regions: each region's upserts and deletes must only ever match its own rows.
        await Task.WhenAll(
            h.Load.ApplyAsync(2, [Delete(Key(1)), Upsert(Row(2, amount: 7m)), Upsert(Row(3))], rowGroupSize: 1),
            h.Load.ApplyAsync(2, [Upsert(Row(1, OtherRegion, amount: 8m)), Delete(Key(2, OtherRegion))], region: OtherRegion, rowGroupSize: 1));

        Assert.Equal([2L, 3L], (await h.ReadTableAsync(region: Region)).Select(r => (long)r[0]!));
        Assert.Equal([(1L, 8m)], (await h.ReadTableAsync(region: OtherRegion)).Select(r => ((long)r[0]!, (decimal)r[7]!)));
        Assert.Equal(h.Load.Model().Checksum(), await h.Target.RecomputeAsync(EveryType, Region, CancellationToken.None));
        Assert.Equal(h.Load.Model(OtherRegion).Checksum(), await h.Target.RecomputeAsync(EveryType, OtherRegion, CancellationToken.None));
    }

    [Fact]
    public async Task First_applies_of_several_regions_at_once_create_the_table_once()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        string[] regions = [Region, OtherRegion, "330110", "330111"];
        foreach (var region in regions)
        {
            h.Load.Model(region);
        }

        // Each apply finds no table; the DDL lock lets one create it and the others see it when they get the lock.
        var results = await Task.WhenAll(regions.Select(region => h.Load.ApplyAsync(1, [Upsert(Row(1, region)), Upsert(Row(2, region))], region: region)));

        Assert.All(results, r => Assert.Equal(2, r.RowCount));
        Assert.Equal(8, (await h.ReadTableAsync()).Count);
        Assert.Equal(1L, await h.ScalarAsync("SELECT count(*) FROM pg_tables WHERE tablename = 'every_type'"));
    }

    private static async Task WaitForAdvisoryWaitersAsync(PostgresHarness h, int count)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var waiting = (long)(await h.ScalarAsync("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))!;
            if (waiting >= count)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"{count} applies never waited on the feed's advisory lock");
    }
}
