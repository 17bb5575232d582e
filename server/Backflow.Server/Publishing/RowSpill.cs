using System.Buffers.Binary;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Rows;
using Microsoft.Win32.SafeHandles;

namespace Backflow.Server.Publishing;

/// <summary>
/// One staging file where a publish parks the waiting rows of regions too small to write a row group yet, so that a
/// publish over thousands of counties does not hold a few hundred rows of each in memory until the end. Each
/// <see cref="Append(IReadOnlyList{ExtractRow})"/> writes one region's rows as one segment; the region reads its segments back when it writes its
/// next row group.
/// </summary>
/// <remarks>
/// A row is stored as its change (1 byte), its length (4 bytes, little-endian) and its canonical encoding
/// (protocol/CANONICAL.md), which decodes back to the same values. Rows are appended from the routing thread only;
/// segments are read with positional reads, so reading never moves the append position, and regions may read their
/// segments on several threads at once once appending is over.
/// </remarks>
internal sealed class RowSpill(DatasetDefinition dataset, string path) : IDisposable
{
    private const int RowHeader = 5;

    private readonly CanonicalEncoder _encoder = new();
    private readonly byte[] _header = new byte[RowHeader];
    private readonly object?[] _values = new object?[dataset.Columns.Count];
    private readonly Lock _flushing = new();
    private FileStream? _file;
    private long _length;

    /// <summary>Writes <paramref name="rows"/> to the end of the file and returns where they are.</summary>
    public SpillSegment Append(IReadOnlyList<ExtractRow> rows)
    {
        var start = Open();
        foreach (var row in rows)
        {
            Write(row);
        }

        return new SpillSegment(start, checked((int)(_length - start)), rows.Count);
    }

    /// <summary>Writes the rows of <paramref name="rows"/> to the end of the file and returns where they are.</summary>
    public SpillSegment Append(ExtractRowGroup rows)
    {
        var start = Open();
        for (var i = 0; i < rows.Count; i++)
        {
            Write(rows.Read(i, _values));
        }

        return new SpillSegment(start, checked((int)(_length - start)), rows.Count);
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
                var op = (ChangeOp)bytes[offset];
                var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 1));
                into.Add(new ExtractRow(op, CanonicalDecoder.DecodeRow(dataset, bytes.AsSpan(offset + RowHeader, length))));
                offset += RowHeader + length;
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

    private void Write(ExtractRow row)
    {
        var encoding = _encoder.EncodeRow(dataset, row.Values);
        _header[0] = (byte)row.Op;
        BinaryPrimitives.WriteInt32LittleEndian(_header.AsSpan(1), encoding.Length);
        _file!.Write(_header);
        _file.Write(encoding);
        _length += RowHeader + encoding.Length;
    }
}

/// <summary>Where one <see cref="RowSpill.Append(IReadOnlyList{ExtractRow})"/> put its rows.</summary>
internal readonly record struct SpillSegment(long Offset, int Bytes, int Rows);
