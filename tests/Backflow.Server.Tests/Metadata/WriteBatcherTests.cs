using Backflow.Server.Metadata;
using Backflow.Server.Tests.Functional.Kit;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Tests.Metadata;

/// <summary>
/// Request handlers' small writes go through one <see cref="WriteBatcher"/> loop: while another writer (a publish)
/// holds SQLite's write lock they wait in the queue, not on threads, and then commit together; one bad write fails
/// only its own caller.
/// </summary>
public sealed class WriteBatcherTests : IDisposable
{
    private readonly TempServerFolder _folder = new();

    [Fact]
    public async Task Writes_queued_behind_another_writer_wait_for_it_and_then_commit_in_few_transactions()
    {
        var database = NewDatabase();
        var batcher = new WriteBatcher(database);
        Task[] writes;
        using (var publish = database.Open())
        using (var transaction = MetadataDatabase.BeginWrite(publish))
        {
            writes = [.. Enumerable.Range(0, 200).Select(i => batcher.WriteAsync((c, t) => Insert(c, t, $"value {i}")))];
            await Task.Delay(300);
            Assert.DoesNotContain(writes, w => w.IsCompleted);
            transaction.Commit();
        }

        await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(30));
        using var connection = database.Open();
        Assert.Equal(200, connection.ExecuteScalar<long>("SELECT count(*) FROM scratch"));
        // The first write may take the lock alone before the rest queue; the other 199 wait and share a few commits.
        Assert.InRange(batcher.Transactions, 1, 5);
    }

    [Fact]
    public async Task The_loop_keeps_serving_writes_that_come_one_at_a_time_after_earlier_batches()
    {
        var database = NewDatabase();
        var batcher = new WriteBatcher(database);
        for (var i = 0; i < 5; i++)
        {
            await batcher.WriteAsync((c, t) => Insert(c, t, $"value {i}")).WaitAsync(TimeSpan.FromSeconds(30));
            await Task.WhenAll(Enumerable.Range(0, 20).Select(j => batcher.WriteAsync((c, t) => Insert(c, t, $"value {i}.{j}")))).WaitAsync(TimeSpan.FromSeconds(30));
        }

        using var connection = database.Open();
        Assert.Equal(105, connection.ExecuteScalar<long>("SELECT count(*) FROM scratch"));
    }

    [Fact]
    public async Task A_write_that_fails_faults_only_its_own_task_and_the_rest_of_its_batch_commits()
    {
        var database = NewDatabase();
        var batcher = new WriteBatcher(database);
        Task first, duplicate, last;
        using (var publish = database.Open())
        using (var transaction = MetadataDatabase.BeginWrite(publish))
        {
            first = batcher.WriteAsync((c, t) => Insert(c, t, "same"));
            duplicate = batcher.WriteAsync((c, t) => Insert(c, t, "same"));
            last = batcher.WriteAsync((c, t) => Insert(c, t, "other"));
            transaction.Commit();
        }

        await first.WaitAsync(TimeSpan.FromSeconds(30));
        await last.WaitAsync(TimeSpan.FromSeconds(30));
        var error = await Assert.ThrowsAsync<SqliteException>(() => duplicate.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("UNIQUE", error.Message, StringComparison.Ordinal);
        using var connection = database.Open();
        Assert.Equal(["other", "same"], connection.Query<string>("SELECT v FROM scratch ORDER BY v"));
    }

    public void Dispose() => _folder.Dispose();

    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, string value) =>
        connection.Execute("INSERT INTO scratch (v) VALUES (@value)", new { value }, transaction);

    private MetadataDatabase NewDatabase()
    {
        var paths = _folder.NewPaths();
        paths.EnsureCreated();
        var database = new MetadataDatabase(paths);
        using var connection = database.Open();
        connection.Execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
        return database;
    }
}
