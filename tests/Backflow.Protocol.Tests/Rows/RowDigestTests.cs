using System.Security.Cryptography;
using Backflow.Protocol.Rows;

namespace Backflow.Protocol.Tests.Rows;

/// <summary>Row digests reuse one SHA-256 context per thread: every call must still hash exactly its own bytes.</summary>
public sealed class RowDigestTests
{
    [Fact]
    public void Every_call_on_every_thread_equals_a_fresh_SHA256_of_its_bytes()
    {
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            var random = new Random(thread);
            Span<byte> digest = stackalloc byte[RowDigest.Size];
            for (var i = 0; i < 2_000; i++)
            {
                var bytes = new byte[random.Next(0, 600)];
                random.NextBytes(bytes);
                var expected = SHA256.HashData(bytes);

                var term = RowDigest.Compute(bytes, digest);

                Assert.Equal(expected, digest.ToArray());
                Assert.Equal(expected, RowDigest.Digest(bytes));
                Assert.Equal(term, RowDigest.ChecksumTerm(bytes));
                Assert.Equal(BitConverter.ToUInt64(expected), term);
            }
        });
    }

    [Fact]
    public void A_destination_too_short_is_refused_and_the_next_row_still_hashes_right()
    {
        var row = "行"u8.ToArray();

        Assert.Throws<ArgumentException>(() => RowDigest.Compute(row, new byte[RowDigest.Size - 1]));

        var digest = new byte[RowDigest.Size];
        RowDigest.Compute(row, digest);
        Assert.Equal(SHA256.HashData(row), digest);
    }
}
