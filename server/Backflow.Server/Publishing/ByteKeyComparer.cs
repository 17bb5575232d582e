using System.IO.Hashing;

namespace Backflow.Server.Publishing;

/// <summary>Compares canonical key encodings by content, so that a batch of looked-up keys can be matched to its rows.</summary>
internal sealed class ByteKeyComparer : IEqualityComparer<byte[]>
{
    public static ByteKeyComparer Instance { get; } = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => (int)XxHash3.HashToUInt64(obj);
}
