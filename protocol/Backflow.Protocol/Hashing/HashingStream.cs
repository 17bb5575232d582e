using System.Security.Cryptography;

namespace Backflow.Protocol.Hashing;

/// <summary>
/// Wraps a stream and computes the SHA-256 and length of every byte that passes through it, so that a file is
/// hashed while it is copied, downloaded or written instead of being read a second time.
/// </summary>
/// <remarks>
/// In <see cref="HashingStreamMode.Read"/> mode the wrapper is read-only and hashes what it reads; in
/// <see cref="HashingStreamMode.Write"/> mode it is write-only and hashes what it writes through. It does not
/// seek: a hash over bytes that were skipped or re-read would not describe the file.
/// </remarks>
public sealed class HashingStream : Stream
{
    private readonly Stream _inner;
    private readonly HashingStreamMode _mode;
    private readonly bool _leaveOpen;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _hashHex;
    private bool _disposed;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The stream read from or written to.</param>
    /// <param name="mode">Whether the wrapper is read from or written to.</param>
    /// <param name="leaveOpen">When true, disposing the wrapper leaves <paramref name="inner"/> open.</param>
    /// <exception cref="ArgumentException">The inner stream cannot be read (or written) in the requested mode.</exception>
    public HashingStream(Stream inner, HashingStreamMode mode, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (mode == HashingStreamMode.Read && !inner.CanRead)
        {
            throw new ArgumentException("the inner stream is not readable; a reading HashingStream needs one it can read", nameof(inner));
        }

        if (mode == HashingStreamMode.Write && !inner.CanWrite)
        {
            throw new ArgumentException("the inner stream is not writable; a writing HashingStream needs one it can write", nameof(inner));
        }

        _inner = inner;
        _mode = mode;
        _leaveOpen = leaveOpen;
    }

    /// <summary>How many bytes have passed through so far.</summary>
    public long BytesHashed { get; private set; }

    /// <summary>
    /// The lowercase hex SHA-256 of the bytes that have passed through so far: read it after the copy has
    /// completed (reading to the end, or writing the last byte). It stays available after disposal.
    /// </summary>
    public string HashHex => _hashHex ??= Convert.ToHexStringLower(_hash.GetCurrentHash());

    /// <inheritdoc />
    public override bool CanRead => !_disposed && _mode == HashingStreamMode.Read;

    /// <inheritdoc />
    public override bool CanWrite => !_disposed && _mode == HashingStreamMode.Write;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException("a HashingStream does not seek");

    /// <inheritdoc />
    public override long Position
    {
        get => BytesHashed;
        set => throw new NotSupportedException("a HashingStream does not seek");
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        EnsureMode(HashingStreamMode.Read);
        var read = _inner.Read(buffer);
        Append(buffer[..read]);
        return read;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureMode(HashingStreamMode.Read);
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        Append(buffer.Span[..read]);
        return read;
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureMode(HashingStreamMode.Write);
        _inner.Write(buffer);
        Append(buffer);
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureMode(HashingStreamMode.Write);
        await _inner.WriteAsync(buffer, cancellationToken);

        // Hashed only after the inner write succeeded, so the hash never covers bytes that did not land.
        Append(buffer.Span);
    }

    /// <inheritdoc />
    public override void Flush()
    {
        if (_mode == HashingStreamMode.Write)
        {
            _inner.Flush();
        }
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _mode == HashingStreamMode.Write ? _inner.FlushAsync(cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a HashingStream does not seek");

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException("a HashingStream does not seek");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            // Keep the hash readable after a using block ends; the IncrementalHash itself is released now.
            _ = HashHex;
            _hash.Dispose();
            _disposed = true;
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _ = HashHex;
            _hash.Dispose();
            _disposed = true;
            if (!_leaveOpen)
            {
                await _inner.DisposeAsync();
            }
        }

        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        _hash.AppendData(bytes);
        BytesHashed += bytes.Length;
        _hashHex = null;
    }

    private void EnsureMode(HashingStreamMode mode)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_mode != mode)
        {
            throw new NotSupportedException(_mode == HashingStreamMode.Read
                ? "this HashingStream was opened for reading; it cannot be written"
                : "this HashingStream was opened for writing; it cannot be read");
        }
    }
}
