using Backflow.Server.Metadata;
using Backflow.Server.Rows;
using Backflow.Server.Tests.Functional.Kit;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Tests.Rows;

/// <summary>
/// A dataset's rows live in an append-only file whose committed length is part of the metadata transaction
/// (migration 008). What a failed or rolled-back write appended must never be read, and must not survive the next write.
/// </summary>
public sealed class RowFileTests : IDisposable
{
    private const string Dataset = "market-entities";

    private readonly TempServerFolder _folder = new();
    private readonly MetadataDatabase _database;

    public RowFileTests()
    {
        var paths = _folder.NewPaths();
        paths.EnsureCreated();
        _database = new MetadataDatabase(paths);
        RowsDirectory = Path.Combine(paths.DataDirectory, "rows");
    }

    private string RowsDirectory { get; }

    [Fact]
    public void Rows_appended_by_a_transaction_that_rolled_back_are_cut_off_by_the_next_writer_and_never_read()
    {
        using var connection = _database.Open();
        long kept;
        using (var transaction = MetadataDatabase.BeginWrite(connection))
        using (var writer = RowFileWriter.Open(connection, transaction, Dataset))
        {
            kept = writer.Append([1, 2, 3]);
            writer.Commit();
            transaction.Commit();
        }

        using (var transaction = MetadataDatabase.BeginWrite(connection))
        using (var writer = RowFileWriter.Open(connection, transaction, Dataset))
        {
            writer.Append([4, 5, 6, 7]);
            writer.Commit(); // flushed to disk, but the transaction that records it never commits
        }

        var file = Path.Combine(RowsDirectory, Dataset + ".1.rows");
        Assert.Equal(7 + 8, new FileInfo(file).Length);
        using (var reader = RowFileReader.Open(connection, null, Dataset))
        {
            Assert.Equal([1, 2, 3], reader.Read(kept).ToArray());
            var beyond = Assert.Throws<InvalidOperationException>(() => reader.Read(7).ToArray());
            Assert.Contains("beyond the 7 committed bytes", beyond.Message, StringComparison.Ordinal);
        }

        using (var transaction = MetadataDatabase.BeginWrite(connection))
        using (var writer = RowFileWriter.Open(connection, transaction, Dataset))
        {
            Assert.Equal(7, writer.Append([8]));
            Assert.Equal(12, writer.Commit());
            transaction.Commit();
        }

        Assert.Equal(12, new FileInfo(file).Length);
        using var after = RowFileReader.Open(connection, null, Dataset);
        Assert.Equal([8], after.Read(7).ToArray());
    }

    [Fact]
    public void A_damaged_or_missing_row_file_is_named_with_what_to_do_instead_of_read()
    {
        using var connection = _database.Open();
        using (var transaction = MetadataDatabase.BeginWrite(connection))
        using (var writer = RowFileWriter.Open(connection, transaction, Dataset))
        {
            writer.Append([1, 2, 3]);
            writer.Commit();
            transaction.Commit();
        }

        var file = Path.Combine(RowsDirectory, Dataset + ".1.rows");
        var bytes = File.ReadAllBytes(file);
        bytes[0] = 200; // a length prefix that runs past the committed bytes
        File.WriteAllBytes(file, bytes);
        using (var reader = RowFileReader.Open(connection, null, Dataset))
        {
            var damaged = Assert.Throws<InvalidOperationException>(() => reader.Read(0).ToArray());
            Assert.Contains($"{file} is damaged at byte 0", damaged.Message, StringComparison.Ordinal);
            Assert.Contains("Restore the server's data folder (metadata.db and rows/ together)", damaged.Message, StringComparison.Ordinal);
        }

        File.WriteAllBytes(file, bytes[..2]);
        using (var transaction = MetadataDatabase.BeginWrite(connection))
        {
            var truncated = Assert.Throws<InvalidOperationException>(() => RowFileWriter.Open(connection, transaction, Dataset));
            Assert.Contains("holds 2 bytes, but 7 were committed", truncated.Message, StringComparison.Ordinal);
        }

        File.Delete(file);
        var missing = Assert.Throws<RowFileMissingException>(() => RowFileReader.Open(connection, null, Dataset));
        Assert.Contains($"{file} is missing", missing.Message, StringComparison.Ordinal);
        using (var transaction = MetadataDatabase.BeginWrite(connection))
        {
            // Not silently started again from an empty file.
            var refused = Assert.Throws<InvalidOperationException>(() => RowFileWriter.Open(connection, transaction, Dataset));
            Assert.Contains($"{file} is missing, but the metadata database says 7 bytes", refused.Message, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(file));
    }

    [Fact]
    public void A_read_that_began_before_a_full_reload_replaced_the_file_is_told_to_try_again_and_a_new_one_reads_the_new_file()
    {
        using var connection = _database.Open();
        Write(connection, startOver: false, commit: true, [1]);
        using var reading = _database.Open();
        using (var before = reading.BeginTransaction(deferred: true))
        {
            Assert.Equal(new RowFileState(1, 5), RowFiles.Read(reading, before, Dataset)); // the read transaction's view starts here
            Write(connection, startOver: true, commit: true, [2]);   // a full reload: generation 2
            Write(connection, startOver: false, commit: true, [3]);  // the next write deletes generation 1

            Assert.Throws<RowFileMissingException>(() => RowFileReader.Open(reading, before, Dataset));
        }

        using var after = RowFileReader.Open(reading, null, Dataset);
        Assert.Equal([2], after.Read(0).ToArray());
    }

    [Fact]
    public void A_full_reload_writes_a_new_generation_and_the_old_one_goes_only_once_the_reload_has_committed()
    {
        using var connection = _database.Open();
        Write(connection, startOver: false, commit: true, [1]);
        Write(connection, startOver: true, commit: false, [2]);   // a reload that failed
        Assert.Equal(new RowFileState(1, 5), RowFiles.Read(connection, null, Dataset));
        Assert.Equal([1], ReadFirst(connection));

        Write(connection, startOver: true, commit: true, [3]);
        Assert.Equal(new RowFileState(2, 5), RowFiles.Read(connection, null, Dataset));
        Assert.Equal([3], ReadFirst(connection));
        // Generation 1 may still be read by a transaction that began before the reload; the next write removes it.
        Assert.True(File.Exists(Path.Combine(RowsDirectory, Dataset + ".1.rows")));

        Write(connection, startOver: false, commit: true, [4]);
        Assert.Equal([Dataset + ".2.rows"], Directory.GetFiles(RowsDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public void Rows_read_one_after_another_far_apart_or_longer_than_a_read_window_come_back_whole()
    {
        var rows = Enumerable.Range(0, 3_000).Select(i => Enumerable.Repeat((byte)i, i % 7 == 0 ? 300_000 + i : 1 + (i % 500)).ToArray()).ToArray();
        using var connection = _database.Open();
        var offsets = new long[rows.Length];
        using (var transaction = MetadataDatabase.BeginWrite(connection))
        using (var writer = RowFileWriter.Open(connection, transaction, Dataset))
        {
            for (var i = 0; i < rows.Length; i++)
            {
                offsets[i] = writer.Append(rows[i]);
            }

            writer.Commit();
            transaction.Commit();
        }

        using var reader = RowFileReader.Open(connection, null, Dataset);
        // In file order (the read window grows), then every 37th row (each read is a jump), then backwards.
        IEnumerable<int> order = [.. Enumerable.Range(0, rows.Length), .. Enumerable.Range(0, rows.Length).Where(i => i % 37 == 0), .. Enumerable.Range(0, rows.Length).Reverse()];
        foreach (var i in order)
        {
            Assert.True(rows[i].AsSpan().SequenceEqual(reader.Read(offsets[i])), $"row {i}");
        }
    }

    public void Dispose() => _folder.Dispose();

    private static void Write(SqliteConnection connection, bool startOver, bool commit, byte[] row)
    {
        using var transaction = MetadataDatabase.BeginWrite(connection);
        using var writer = RowFileWriter.Open(connection, transaction, Dataset, startOver);
        writer.Append(row);
        writer.Commit();
        if (commit)
        {
            transaction.Commit();
        }
    }

    private static byte[] ReadFirst(SqliteConnection connection)
    {
        using var reader = RowFileReader.Open(connection, null, Dataset);
        return reader.Read(0).ToArray();
    }
}
