namespace Backflow.Protocol.Manifests;

/// <summary>
/// The manifest exactly as it is on the wire. Every field is nullable so that a missing field is reported by
/// name by <see cref="ManifestSerializer"/>, not as a generic parser error; declaration order is the JSON order.
/// </summary>
internal sealed class ManifestDocument
{
    public string? Format { get; set; }

    public string? Dataset { get; set; }

    public string? Region { get; set; }

    public long? Sequence { get; set; }

    public string? Kind { get; set; }

    public int? Generation { get; set; }

    public int? SchemaVersion { get; set; }

    public string? SchemaHash { get; set; }

    public FileDocument? File { get; set; }

    public CountsDocument? Counts { get; set; }

    public StateDocument? State { get; set; }

    public string? PublishId { get; set; }

    public string? PublishedAt { get; set; }

    internal sealed class FileDocument
    {
        public string? Name { get; set; }

        public long? Bytes { get; set; }

        public string? Sha256 { get; set; }
    }

    internal sealed class CountsDocument
    {
        public long? Upserts { get; set; }

        public long? Deletes { get; set; }
    }

    internal sealed class StateDocument
    {
        public long? RowCount { get; set; }

        public string? Checksum { get; set; }
    }
}
