using System.Security.Cryptography;
using Backflow.Protocol.Hashing;

namespace Backflow.Protocol.Tests.Hashing;

public sealed class HashingStreamTests
{
    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(100_000, 3)]
    [InlineData(1_048_577, 4)]
    public async Task Reading_in_random_chunks_hashes_exactly_the_bytes_read(int length, int seed)
    {
        var data = RandomBytes(length, seed);
        var random = new Random(seed);
        await using var hashing = new HashingStream(new MemoryStream(data), HashingStreamMode.Read);
        using var copy = new MemoryStream();
        var buffer = new byte[70_000];
        int read;
        while ((read = random.Next(3) == 0
                   ? hashing.Read(buffer, 0, random.Next(1, buffer.Length))
                   : await hashing.ReadAsync(buffer.AsMemory(0, random.Next(1, buffer.Length)))) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        Assert.Equal(data, copy.ToArray());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), hashing.HashHex);
        Assert.Equal(length, hashing.BytesHashed);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 6)]
    [InlineData(250_000, 7)]
    public async Task Writing_in_random_chunks_hashes_exactly_the_bytes_written_through(int length, int seed)
    {
        var data = RandomBytes(length, seed);
        var random = new Random(seed);
        using var target = new MemoryStream();
        var hashing = new HashingStream(target, HashingStreamMode.Write, leaveOpen: true);
        await using (hashing)
        {
            var offset = 0;
            while (offset < data.Length)
            {
                var count = Math.Min(random.Next(1, 9000), data.Length - offset);
                switch (random.Next(3))
                {
                    case 0: hashing.Write(data, offset, count); break;
                    case 1: await hashing.WriteAsync(data.AsMemory(offset, count)); break;
                    default: hashing.WriteByte(data[offset]); count = 1; break;
                }

                offset += count;
            }
        }

        Assert.Equal(data, target.ToArray());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), hashing.HashHex);
        Assert.Equal(length, hashing.BytesHashed);
    }

    [Fact]
    public async Task CopyToAsync_through_a_reading_stream_hashes_the_whole_file()
    {
        var data = RandomBytes(300_001, 8);
        await using var hashing = new HashingStream(new MemoryStream(data), HashingStreamMode.Read);
        using var target = new MemoryStream();
        await hashing.CopyToAsync(target);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), hashing.HashHex);
        Assert.Equal(data.Length, hashing.BytesHashed);
    }

    [Fact]
    public void The_hash_of_nothing_is_the_empty_sha256()
    {
        using var hashing = new HashingStream(new MemoryStream(), HashingStreamMode.Read);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hashing.HashHex);
    }

    [Fact]
    public void A_reading_stream_cannot_be_written_nor_a_writing_stream_read()
    {
        using var reading = new HashingStream(new MemoryStream([1, 2, 3]), HashingStreamMode.Read);
        using var writing = new HashingStream(new MemoryStream(), HashingStreamMode.Write);

        Assert.False(reading.CanWrite);
        Assert.False(writing.CanRead);
        Assert.False(reading.CanSeek);
        Assert.Throws<NotSupportedException>(() => reading.Write([1], 0, 1));
        Assert.Throws<NotSupportedException>(() => writing.ReadByte());
    }

    [Fact]
    public void Disposing_closes_the_inner_stream_unless_asked_to_leave_it_open()
    {
        var closed = new MemoryStream();
        var open = new MemoryStream();
        new HashingStream(closed, HashingStreamMode.Write).Dispose();
        new HashingStream(open, HashingStreamMode.Write, leaveOpen: true).Dispose();

        Assert.False(closed.CanWrite);
        Assert.True(open.CanWrite);
    }

    [Fact]
    public async Task ContentHash_returns_the_sha256_and_the_length()
    {
        var data = RandomBytes(200_000, 9);
        using var stream = new MemoryStream(data);

        var (sha256, length) = await ContentHash.ComputeAsync(stream);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), sha256);
        Assert.Equal(data.Length, length);
        Assert.True(stream.CanRead);
    }
}
