using Backflow.Agent.Loading.Sqlite;
using Backflow.Agent.Sync;
using Microsoft.Data.Sqlite;

namespace Backflow.Agent.Tests.Loading;

/// <summary>Agent databases created before the <c>diverged</c> column are migrated in place when the agent starts.</summary>
public sealed class HealthMigrationTests
{
    [Fact]
    public async Task An_older_health_table_gains_the_diverged_column_and_keeps_a_prefix_marked_divergence_blocked()
    {
        using var directory = new TempDirectory();
        var connectionString = SqliteLoadTarget.ConnectionStringFor(directory.Path);
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // The table as agents before this change created it, with one diverged, one otherwise blocked and one healthy feed.
            command.CommandText = """
                CREATE TABLE backflow_feed_health (
                    dataset TEXT NOT NULL, region TEXT NOT NULL, latest_known_sequence INTEGER NOT NULL, consecutive_failures INTEGER NOT NULL,
                    blocked INTEGER NOT NULL, last_error TEXT, last_error_at TEXT, last_success_at TEXT, last_attempt_at TEXT,
                    PRIMARY KEY (dataset, region));
                INSERT INTO backflow_feed_health VALUES ('every-type', '330106', 4, 1, 1, 'LocalCopyDiverged: local copy diverged: …', NULL, NULL, NULL);
                INSERT INTO backflow_feed_health VALUES ('every-type', '330108', 4, 3, 1, 'HashMismatch: altered', NULL, NULL, NULL);
                INSERT INTO backflow_feed_health VALUES ('every-type', '330110', 4, 0, 0, NULL, NULL, NULL, NULL);
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using var target = new SqliteLoadTarget(connectionString, TimeProvider.System);
        await target.InitializeAsync(CancellationToken.None);
        await target.InitializeAsync(CancellationToken.None);
        var health = (await target.ListHealthAsync(CancellationToken.None)).ToDictionary(h => h.Region);

        Assert.True(health["330106"].Diverged && Divergence.Blocks(health["330106"]));
        Assert.False(health["330108"].Diverged || Divergence.Blocks(health["330108"]));
        Assert.True(health["330108"].Blocked);
        Assert.False(health["330110"].Diverged);
    }

    [Fact]
    public async Task A_blocked_feed_whose_error_merely_mentions_divergence_is_not_a_divergence()
    {
        await using var h = new LoadHarness();
        await h.Target.SaveHealthAsync(
            new Backflow.Agent.Loading.FeedHealth("every-type", "330106", 3, 3, true, "LocalCopyDiverged: text alone", null, null, null), CancellationToken.None);

        Assert.False(Divergence.Blocks(await h.Target.GetHealthAsync("every-type", "330106", CancellationToken.None)));
    }
}
