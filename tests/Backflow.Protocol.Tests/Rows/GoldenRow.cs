namespace Backflow.Protocol.Tests.Rows;

/// <summary>One row of the golden vectors with its expected encoding, digest, term and key encoding (lowercase hex).</summary>
internal sealed record GoldenRow(string Name, object?[] Values, string Encoding, string Digest, string Term, string Key)
{
    public override string ToString() => Name;
}
