namespace Backflow.Protocol.Hashing;

/// <summary>Hashes a whole stream in one pass, for callers that only need the hash and the length.</summary>
public static class ContentHash
{
    private const int BufferSize = 81920;

    /// <summary>Reads <paramref name="content"/> to its end and returns its lowercase hex SHA-256 and its length in bytes.</summary>
    /// <param name="content">The stream to read from its current position; it is left open.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<(string Sha256, long Length)> ComputeAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        await using var hashing = new HashingStream(content, HashingStreamMode.Read, leaveOpen: true);
        var buffer = new byte[BufferSize];
        while (await hashing.ReadAsync(buffer, cancellationToken) > 0)
        {
        }

        return (hashing.HashHex, hashing.BytesHashed);
    }
}
