using System.Buffers;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Microsoft.Win32.SafeHandles;

namespace Backflow.Server.Publishing;

/// <summary>
/// One staging file where a publish parks the waiting rows of regions too small to write a row group yet, so that a
/// publish over thousands of counties does not hold a few hundred rows of each in memory until the end. Each
/// <see cref="Append(IReadOnlyList{ExtractRow})"/> writes one region's rows as one segment; the region reads its segments back when it writes its
/// next row group.
/// </summary>
/// <remarks>
/// Rows are stored as <see cref="SpillRowCodec"/> encodes them. Rows are appended from the routing thread only, a
/// segment in one write; segments are read with positional reads, so reading never moves the append position, and
/// regions may read their segments on several threads at once once appending is over.
/// </remarks>
internal sealed class RowSpill(DatasetDefinition dataset, string path) : IDisposable
{
    // A segment is encoded here, then written at once. Kept between segments: most are a few dozen rows.
    private readonly ArrayBufferWriter<byte> _segment = new(64 * 1024);
    private readonly object?[] _values = new object?[dataset.Columns.Count];
    private readonly Lock _flushing = new();
    private FileStream? _file;
    private long _length;

    /// <summary>Writes <paramref name="rows"/> to the end of the file and returns where they are.</summary>
    public SpillSegment Append(IReadOnlyList<ExtractRow> rows)
    {
        foreach (var row in rows)
        {
            SpillRowCodec.Write(dataset, row, _segment);
        }

        return WriteSegment(rows.Count);
    }

    /// <summary>Writes the rows of <paramref name="rows"/> to the end of the file and returns where they are.</summary>
    public SpillSegment Append(ExtractRowGroup rows)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            SpillRowCodec.Write(dataset, rows.Read(i, _values), _segment);
        }

        return WriteSegment(rows.Count);
    }

    /// <summary>Reads the rows of <paramref name="segments"/> back, in the order they were appended, onto <paramref name="into"/>.</summary>
    public void ReadInto(IReadOnlyList<SpillSegment> segments, ExtractRowGroup into)
    {
        // Regions are finished in parallel once routing is done (FinishAhead). FileStream is not thread-safe (even its
        // SafeFileHandle getter flushes), so the flush and the handle are taken under a lock; positional reads are safe.
        SafeFileHandle handle;
        lock (_flushing)
        {
            _file!.Flush();
            handle = _file.SafeFileHandle;
        }

        // One array for the values of every row read back: the group copies them into its columns.
        var values = new object?[dataset.Columns.Count];
        foreach (var segment in segments)
        {
            var bytes = new byte[segment.Bytes];
            for (var read = 0; read < bytes.Length;)
            {
                var count = RandomAccess.Read(handle, bytes.AsSpan(read), segment.Offset + read);
                read += count > 0 ? count : throw new IOException(
                    $"the publish's spill file {path} ended before offset {segment.Offset + segment.Bytes}; was it changed while the publish ran?");
            }

            var offset = 0;
            for (var i = 0; i < segment.Rows; i++)
            {
                var op = SpillRowCodec.Read(dataset, bytes, ref offset, values);
                into.Add(new ExtractRow(op, values));
            }
        }
    }

    public void Dispose() => _file?.Dispose();

    /// <summary>Writes the encoded segment at the end of the file, opened on first use (most publishes touch a few
    /// regions and never spill).</summary>
    private SpillSegment WriteSegment(int rows)
    {
        _file ??= new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024);
        var start = _length;
        _file.Write(_segment.WrittenSpan);
        _length += _segment.WrittenCount;
        _segment.ResetWrittenCount();
        return new SpillSegment(start, checked((int)(_length - start)), rows);
    }
}

/// <summary>Where one <see cref="RowSpill.Append(IReadOnlyList{ExtractRow})"/> put its rows.</summary>
internal readonly record struct SpillSegment(long Offset, int Bytes, int Rows);
