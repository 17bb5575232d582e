using System.Buffers;

namespace Backflow.Server.Publishing;

/// <summary>
/// Bytes for one chunk's row encodings and digests, in segments rented from the shared array pool and given back once
/// the chunk has been routed. A publish used to allocate two arrays per row for them (a third of a million-row
/// publish's allocations), all still alive in the read-ahead channel when the garbage collector ran, so it copied them.
/// </summary>
internal sealed class RowArena : IDisposable
{
    private const int SegmentSize = 256 * 1024;

    private readonly List<byte[]> _segments = [];
    private byte[] _current = [];
    private int _used;

    /// <summary>Copies <paramref name="bytes"/> into the arena; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Add(ReadOnlySpan<byte> bytes)
    {
        var slot = Take(bytes.Length);
        bytes.CopyTo(slot.Span);
        return slot;
    }

    /// <summary>A fresh slot of <paramref name="length"/> bytes; valid until <see cref="Dispose"/>.</summary>
    public Memory<byte> Take(int length)
    {
        if (_current.Length - _used < length)
        {
            _current = ArrayPool<byte>.Shared.Rent(Math.Max(SegmentSize, length));
            _segments.Add(_current);
            _used = 0;
        }

        var slot = _current.AsMemory(_used, length);
        _used += length;
        return slot;
    }

    public void Dispose()
    {
        foreach (var segment in _segments)
        {
            ArrayPool<byte>.Shared.Return(segment);
        }

        _segments.Clear();
        _current = [];
        _used = 0;
    }
}
