using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;

namespace Backflow.Server.Rows;

/// <summary>
/// Reads rows by offset from a dataset's row file (<see cref="RowFiles"/>), as committed when the reader was opened in
/// its transaction. A read outside the bytes already in memory loads a window from there: small after a jump (a county's
/// rows from a nationwide publish lie far apart), doubling while the rows come one after the other (a region written
/// together, or a file rewritten by region).
/// </summary>
internal sealed class RowFileReader : IDisposable
{
    /// <summary>The window after a jump: a page, which holds most rows (a few hundred bytes) whole.</summary>
    private const int SmallestWindow = 4 * 1024;

    /// <summary>The window for rows read one after the other: a few hundred rows per read call.</summary>
    private const int LargestWindow = 256 * 1024;

    private readonly SafeFileHandle? _handle;
    private readonly string _path;
    private readonly long _committed;
    private byte[] _window = [];
    private long _windowStart;
    private int _windowLength;
    private int _windowSize = SmallestWindow;
    private long _nextRow = -1;

    private RowFileReader(SafeFileHandle? handle, string path, long committed)
    {
        _handle = handle;
        _path = path;
        _committed = committed;
    }

    /// <summary>Opens the dataset's row file as <paramref name="transaction"/> sees it. Open it right after the transaction's
    /// first read: a full reload that commits meanwhile deletes the old generation at the next write.</summary>
    public static RowFileReader Open(SqliteConnection connection, SqliteTransaction? transaction, string dataset)
    {
        var state = RowFiles.Read(connection, transaction, dataset);
        var path = RowFiles.PathOf(RowFiles.DirectoryOf(connection), dataset, state.Generation);
        if (state.CommittedBytes == 0)
        {
            return new RowFileReader(null, path, 0);
        }

        try
        {
            return new RowFileReader(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), path, state.CommittedBytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            // UnauthorizedAccessException: on Windows, a file deleted while another reader still has it open.
            throw new RowFileMissingException(
                $"{path} is missing, but the metadata database says {state.CommittedBytes:N0} bytes of '{dataset}' rows were committed to it. " +
                "If `backflow-server compact` or a full re-base of the dataset has just committed, it replaced the file as this read began: try again. " +
                "Otherwise the file was lost: restore the server's data folder (metadata.db and rows/ together) from one backup.", e);
        }
    }

    /// <summary>The row stored at <paramref name="offset"/>; valid until the next call.</summary>
    public ReadOnlySpan<byte> Read(long offset)
    {
        if (offset < 0 || offset > _committed - RowFiles.PrefixBytes)
        {
            throw Damaged(offset, $"offset beyond the {_committed:N0} committed bytes");
        }

        _windowSize = offset == _nextRow ? Math.Min(2 * _windowSize, LargestWindow) : SmallestWindow;
        var length = BinaryPrimitives.ReadInt32LittleEndian(Bytes(offset, RowFiles.PrefixBytes));
        if (length < 0 || length > _committed - offset - RowFiles.PrefixBytes)
        {
            throw Damaged(offset, $"a row of {length:N0} bytes would end beyond the {_committed:N0} committed bytes");
        }

        _nextRow = offset + RowFiles.PrefixBytes + length;
        return Bytes(offset + RowFiles.PrefixBytes, length);
    }

    public void Dispose() => _handle?.Dispose();

    private ReadOnlySpan<byte> Bytes(long position, int count)
    {
        if (position < _windowStart || position + count > _windowStart + _windowLength)
        {
            Load(position, count);
        }

        return _window.AsSpan((int)(position - _windowStart), count);
    }

    private void Load(long position, int count)
    {
        var wanted = (int)Math.Min(Math.Max(count, _windowSize), _committed - position);
        if (wanted > _window.Length)
        {
            _window = new byte[Math.Max(wanted, Math.Min(2 * _window.Length, LargestWindow))];
        }

        var loaded = 0;
        while (loaded < count)
        {
            var read = RandomAccess.Read(_handle!, _window.AsSpan(loaded, wanted - loaded), position + loaded);
            if (read == 0)
            {
                throw Damaged(position, "the file ends before its committed length");
            }

            loaded += read;
        }

        _windowStart = position;
        _windowLength = loaded;
    }

    private InvalidOperationException Damaged(long offset, string what) =>
        new($"{_path} is damaged at byte {offset:N0}: {what}. Restore the server's data folder (metadata.db and rows/ together) from one backup.");
}
