using System.Security.Cryptography;

namespace Backflow.Server.Publishing;

/// <summary>
/// SHA-256 over a changeset's files (changes, then a marker and the deletes file), read once from the start and
/// rewound. It tells a retry of a publish id (same files) from a reuse of the id for other files. One sequential
/// pass: about 0.2 s for 250 MB of CSV already in the page cache, against seconds for the publish itself.
/// </summary>
internal static class InputFingerprint
{
    /// <returns>Lowercase hex, or null when a stream cannot be rewound (then the id alone decides, as before).</returns>
    public static async Task<string?> ComputeAsync(Stream changes, Stream? deletes, CancellationToken cancellationToken)
    {
        if (!changes.CanSeek || deletes is { CanSeek: false })
        {
            return null;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await AppendAsync(hash, changes, cancellationToken);
        if (deletes is not null)
        {
            // A marker between the files, so that moving bytes from one file to the other changes the fingerprint.
            hash.AppendData("\n--deletes--\n"u8);
            await AppendAsync(hash, deletes, cancellationToken);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task AppendAsync(IncrementalHash hash, Stream stream, CancellationToken cancellationToken)
    {
        var start = stream.Position;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            stream.Position = start;
        }
    }
}
