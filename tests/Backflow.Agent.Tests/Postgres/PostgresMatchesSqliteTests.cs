using Backflow.Agent.Tests.Loading;
using Backflow.Agent.Tests.Support;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Manifests;
using static Backflow.Agent.Tests.Loading.LoadHarness;
using static Backflow.Agent.Tests.Loading.LoadingDatasets;

namespace Backflow.Agent.Tests.Postgres;

/// <summary>The same extracts through both targets: same results, same rows, same checksums.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMatchesSqliteTests(PostgresServer server)
{
    [Fact]
    public async Task A_random_history_of_upserts_deletes_and_snapshots_leaves_both_targets_identical()
    {
        await using var sqlite = new LoadHarness();
        await using var postgres = await PostgresHarness.StartAsync(server);
        var random = new Random(11);
        for (var sequence = 1; sequence <= 8; sequence++)
        {
            var kind = sequence == 5 ? ExtractKind.Snapshot : ExtractKind.Delta;
            var rows = Enumerable.Range(0, 60).Select(_ => RandomRow(random, kind)).DistinctBy(r => (long)r.Values[0]!).ToArray();
            foreach (var region in new[] { Region, OtherRegion })
            {
                var regional = rows.Select(r => r with { Values = WithRegion(r.Values, region) }).ToArray();
                var expected = await sqlite.ApplyAsync(sequence, regional, kind, region, rowGroupSize: 16);
                var actual = await postgres.Load.ApplyAsync(sequence, regional, kind, region, rowGroupSize: 16);
                Assert.Equal(expected, actual);
            }
        }

        foreach (var region in new[] { Region, OtherRegion })
        {
            var expectedRows = (await sqlite.ReadTableAsync(region: region)).OrderBy(r => (long)r[0]!).ToList();
            var actualRows = await postgres.ReadTableAsync(region: region);
            Assert.Equal(expectedRows.Count, actualRows.Count);
            for (var r = 0; r < expectedRows.Count; r++)
            {
                Assert.Equal(expectedRows[r], actualRows[r]);
            }

            Assert.Equal(
                await sqlite.Target.RecomputeAsync(EveryType, region, CancellationToken.None),
                await postgres.Target.RecomputeAsync(EveryType, region, CancellationToken.None));
            Assert.Equal(
                (await sqlite.Target.GetPositionAsync(EveryType.Id, region, CancellationToken.None))! with { AppliedAt = default },
                (await postgres.Target.GetPositionAsync(EveryType.Id, region, CancellationToken.None))! with { AppliedAt = default });
        }
    }

    private static ExtractRow RandomRow(Random random, ExtractKind kind)
    {
        var id = random.Next(80);
        if (kind == ExtractKind.Delta && random.Next(4) == 0)
        {
            return Delete(Key(id));
        }

        var row = Row(id, name: random.Next(3) == 0 ? string.Empty : "名" + random.Next(1000), amount: random.Next(-100_000, 100_000) / 100m);
        row[3] = random.Next(3) switch { 0 => null, 1 => string.Empty, _ => "备注" };
        row[9] = random.Next(5) == 0 ? double.NaN : random.Next(3) == 0 ? -0.0 : random.NextDouble();
        row[12] = random.Next(2) == 0 ? null : new DateOnly(1900 + random.Next(200), 1 + random.Next(12), 1 + random.Next(28));
        row[14] = random.Next(2) == 0 ? null : new DateTime(1950, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(random.NextInt64(0, 3_000_000_000_000_000) / 10 * 10);
        row[15] = random.Next(4) == 0 ? Array.Empty<byte>() : random.Next(2) == 0 ? null : [(byte)random.Next(256)];
        return Upsert(row);
    }

    private static object?[] WithRegion(object?[] values, string region)
    {
        var copy = (object?[])values.Clone();
        copy[1] = region;
        return copy;
    }
}
