using System.Buffers.Binary;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Rows;

/// <summary>
/// Appends rows to a dataset's row file (<see cref="RowFiles"/>) inside a write transaction. Nothing appended counts
/// until <see cref="Commit"/> has flushed it to disk and recorded the new length in that transaction: after a failure,
/// a rollback or a crash, the bytes beyond the committed length are garbage, and the next writer truncates them.
/// </summary>
internal sealed class RowFileWriter : IDisposable
{
    /// <summary>Large enough that a million-row publish makes a few hundred write calls, not a million.</summary>
    private const int BufferBytes = 1024 * 1024;

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly string _dataset;
    private readonly FileStream _file;
    private readonly byte[] _prefix = new byte[RowFiles.PrefixBytes];
    private readonly string? _newFileDirectory;
    private RowFileState _saved;
    private bool _unsaved;
    private long _length;

    private RowFileWriter(SqliteConnection connection, SqliteTransaction transaction, string dataset, FileStream file, RowFileState state, bool unsaved,
        string? newFileDirectory)
    {
        _connection = connection;
        _transaction = transaction;
        _dataset = dataset;
        _file = file;
        _saved = state;
        _unsaved = unsaved;
        _length = state.CommittedBytes;
        _newFileDirectory = newFileDirectory;
    }

    /// <summary>Opens the dataset's row file for appending, after its committed bytes.</summary>
    /// <param name="startOver">Begin a new, empty generation (a full reload replaces every row). The current one stays until a
    /// later writer finds it unused: readers may still be reading it, and this transaction may yet roll back.</param>
    public static RowFileWriter Open(SqliteConnection connection, SqliteTransaction transaction, string dataset, bool startOver = false)
    {
        var directory = RowFiles.DirectoryOf(connection);
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            DirectorySync.Flush(Path.GetDirectoryName(directory)!);
        }

        var committed = RowFiles.Read(connection, transaction, dataset);
        var state = startOver ? new RowFileState(committed.Generation + 1, 0) : committed;
        DeleteUnused(directory, dataset, committed.Generation, state.Generation);

        var path = RowFiles.PathOf(directory, dataset, state.Generation);
        var created = !File.Exists(path);
        if (created && state.CommittedBytes > 0)
        {
            throw new InvalidOperationException(
                $"{path} is missing, but the metadata database says {state.CommittedBytes:N0} bytes of '{dataset}' rows were committed to it. " +
                "Restore the server's data folder (metadata.db and rows/ together) from one backup.");
        }

        // Shared for reading and writing: only one writer runs at a time anyway (SQLite's write lock), and on Windows a
        // handle that excluded writers would fail the next publish, or a backup copying the file, until it was closed.
        // FileShare.Delete: a later writer may delete this generation while a reader still has it open (see DeleteUnused).
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, BufferBytes);
        try
        {
            if (file.Length < state.CommittedBytes)
            {
                throw new InvalidOperationException(
                    $"{path} holds {file.Length:N0} bytes, but {state.CommittedBytes:N0} were committed: the file was truncated or replaced since. " +
                    "Restore the server's data folder (metadata.db and rows/ together) from one backup.");
            }

            // Left by a publish that failed or crashed before its commit: never referenced by anything committed.
            file.SetLength(state.CommittedBytes);
            file.Position = state.CommittedBytes;
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return new RowFileWriter(connection, transaction, dataset, file, state, unsaved: startOver, created ? directory : null);
    }

    /// <summary>Appends a row; returns its offset, which is its <c>data_id</c>.</summary>
    public long Append(ReadOnlySpan<byte> row)
    {
        var offset = _length;
        BinaryPrimitives.WriteInt32LittleEndian(_prefix, row.Length);
        _file.Write(_prefix);
        _file.Write(row);
        _length += RowFiles.PrefixBytes + row.Length;
        return offset;
    }

    /// <summary>Flushes what was appended to disk, then records the file's new length in the transaction. Must run before
    /// the transaction commits; rows appended after it need another call.</summary>
    /// <returns>The committed length.</returns>
    public long Commit()
    {
        if (_unsaved || _length != _saved.CommittedBytes)
        {
            _file.Flush(flushToDisk: true);
            if (_newFileDirectory is not null)
            {
                // The file's name must be on disk before the database points into it.
                DirectorySync.Flush(_newFileDirectory);
            }

            _saved = _saved with { CommittedBytes = _length };
            RowFiles.Save(_connection, _transaction, _dataset, _saved);
            _unsaved = false;
        }

        return _length;
    }

    public void Dispose()
    {
        try
        {
            _file.Dispose();
        }
        catch (IOException)
        {
            // Only what was never committed can still be waiting in the buffer (a failed publish): it is garbage, and
            // the disk error that ended the publish must not be hidden by this one.
        }
    }

    /// <summary>Deletes the dataset's files of other generations than <paramref name="committed"/> and <paramref name="current"/>:
    /// older ones were replaced by a full reload that committed, newer ones belong to one that never did. Only writers
    /// delete, and only one writes at a time (the write lock).</summary>
    private static void DeleteUnused(string directory, string dataset, long committed, long current)
    {
        foreach (var file in Directory.EnumerateFiles(directory, dataset + ".*" + RowFiles.Extension))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (long.TryParse(name.AsSpan(dataset.Length + 1), out var generation) && generation != committed && generation != current)
            {
                TryDelete(file);
            }
        }
    }

    /// <summary>Deletes a row file no key points into; a failure only postpones it to the next writer. (On Windows a file
    /// still open by a reader may refuse, depending on the file system.)</summary>
    internal static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Tried again by the next writer.
        }
    }
}
