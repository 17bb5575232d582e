namespace Backflow.Agent.Tests.Support;

/// <summary>One published sequence as the test server holds it: the signed envelope and the file it serves.</summary>
internal sealed class PublishedExtract(long sequence, byte[] envelope, byte[] file)
{
    public long Sequence { get; } = sequence;

    public byte[] Envelope { get; set; } = envelope;

    /// <summary>What GET /extracts serves; tests replace it to tamper with the file after signing.</summary>
    public byte[] File { get; set; } = file;

    /// <summary>When set, the first download closes the connection after this many body bytes.</summary>
    public int? CutAfter { get; set; }
}
