using System.Buffers;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Microsoft.Win32.SafeHandles;

namespace Backflow.Server.Publishing;

/// <summary>
/// One staging file where a publish parks the waiting rows of regions too small to write a row group yet, so that a
/// publish over thousands of counties does not hold a few hundred rows of each in memory until the end. Each
/// <see cref="Append(ReadOnlySpan{byte}, int)"/> writes one region's rows as one segment; the region reads its segments
/// back when it writes its next row group.
/// </summary>
/// <remarks>
/// Rows are stored as <see cref="SpillRowCodec"/> encodes them. Rows are appended from the routing thread only, a
/// segment in one write; segments are read with positional reads, so reading never moves the append position, and
/// regions may read their segments on several threads at once once appending is over.
/// </remarks>
internal sealed class RowSpill(DatasetDefinition dataset, string path) : IDisposable
{
    // A group's rows are encoded here, then written at once.
    private readonly ArrayBufferWriter<byte> _segment = new();
    private readonly object?[] _values = new object?[dataset.Columns.Count];
    private readonly Lock _flushing = new();
    private FileStream? _file;
    private long _length;

    /// <summary>Writes <paramref name="count"/> rows already encoded by <see cref="SpillRowCodec"/> to the end of the
    /// file and returns where they are.</summary>
    public SpillSegment Append(ReadOnlySpan<byte> encoded, int count)
    {
        var start = Open();
        _file!.Write(encoded);
        _length += encoded.Length;
        return new SpillSegment(start, encoded.Length, count);
    }

    /// <summary>Writes the rows of <paramref name="rows"/> to the end of the file and returns where they are.</summary>
    public SpillSegment Append(ExtractRowGroup rows)
    {
        try
        {
            for (var i = 0; i < rows.Count; i++)
            {
                SpillRowCodec.Write(dataset, rows.Read(i, _values), _segment);
            }

            return Append(_segment.WrittenSpan, rows.Count);
        }
        finally
        {
            _segment.ResetWrittenCount();
        }
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

        foreach (var segment in segments)
        {
            var rented = ArrayPool<byte>.Shared.Rent(segment.Bytes);
            try
            {
                var bytes = rented.AsSpan(0, segment.Bytes);
                for (var read = 0; read < bytes.Length;)
                {
                    var count = RandomAccess.Read(handle, bytes[read..], segment.Offset + read);
                    read += count > 0 ? count : throw new IOException(
                        $"the publish's spill file {path} ended before offset {segment.Offset + segment.Bytes}; was it changed while the publish ran?");
                }

                SpillRowCodec.AddTo(dataset, bytes, segment.Rows, into);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public void Dispose() => _file?.Dispose();

    /// <summary>Opens the file on first use (most publishes touch a few regions and never spill); returns where the next
    /// segment starts.</summary>
    private long Open()
    {
        _file ??= new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024);
        return _length;
    }
}

/// <summary>Where one <see cref="RowSpill.Append(ReadOnlySpan{byte}, int)"/> put its rows.</summary>
internal readonly record struct SpillSegment(long Offset, int Bytes, int Rows);
