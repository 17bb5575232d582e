namespace Backflow.Protocol.Hashing;

/// <summary>Which direction bytes flow through a <see cref="HashingStream"/>.</summary>
public enum HashingStreamMode
{
    /// <summary>The wrapper is read from; it hashes what it reads from the inner stream.</summary>
    Read,

    /// <summary>The wrapper is written to; it hashes what it writes through to the inner stream.</summary>
    Write,
}
