using Backflow.Agent.Loading.Postgres;
using Backflow.Agent.Tests.Support;
using Npgsql;
using static Backflow.Agent.Tests.Loading.LoadingDatasets;

namespace Backflow.Agent.Tests.Postgres;

/// <summary>
/// The staged-key delete must probe the key index once per staged row whatever the statistics say. Found by measuring
/// a 1M-row delta: autovacuum analysed the table while the delta's first row groups were still uncommitted
/// (statistics: 0 rows in thousands of pages), and <c>DELETE … USING stage</c> then rescanned the staging table for
/// every stored row — minutes per row group; with fresh statistics it hash-joined a scan of every region's rows.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresPlanTests(PostgresServer server)
{
    [Theory]
    [InlineData("analysed")]
    [InlineData("analysed while empty")]
    [InlineData("analysed during an uncommitted load")]
    public async Task The_staged_key_delete_probes_the_primary_key_index(string statistics)
    {
        await using var h = await PostgresHarness.StartAsync(server);
        var layout = new PostgresTableLayout(EveryType, "public", "every_type");
        await h.ExecuteAsync(layout.Create);
        if (statistics == "analysed while empty")
        {
            await h.ExecuteAsync("VACUUM ANALYZE every_type");
        }

        await h.ExecuteAsync(
            "INSERT INTO every_type (id, region, name, count32, amount, active, seen) SELECT i, r, 'n', 0, 0, true, now() FROM generate_series(1, 100000) i, (VALUES ('330106'), ('330108')) v(r)");
        await h.ExecuteAsync(statistics switch
        {
            "analysed" => "ANALYZE every_type",

            // What autovacuum's ANALYZE records when the rows are there but not yet committed (the test is superuser).
            "analysed during an uncommitted load" => "UPDATE pg_class SET reltuples = 0, relpages = 5000 WHERE oid = 'public.every_type'::regclass",
            _ => "SELECT 1",
        });

        await using var connection = new NpgsqlConnection(h.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var stage = new NpgsqlCommand(layout.CreateStage + "; " + PostgresRegionWriter.PlannerSettings, connection))
        {
            await stage.ExecuteNonQueryAsync();
        }

        await using (var fill = new NpgsqlCommand("INSERT INTO pg_temp.backflow_stage (id, region, \"_op\") SELECT i, '330106', 0 FROM generate_series(1, 50000) i", connection))
        {
            await fill.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + layout.DeleteStaged, connection);
        var plan = string.Join('\n', await ReadAllAsync(explain));

        Assert.Contains("Seq Scan on backflow_stage s", plan, StringComparison.Ordinal);
        Assert.Contains("Index Cond: ((region = s.region) AND (id = s.id))", plan, StringComparison.Ordinal);
        Assert.Contains("TID Cond", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan on every_type", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Join Filter", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Hash", plan, StringComparison.Ordinal);
    }

    private static async Task<List<string>> ReadAllAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }
}
