namespace Backflow.Protocol.Manifests;

/// <summary>The extract file a manifest describes.</summary>
/// <param name="Name">A plain file name (no folders), e.g. <c>market-entities.330106.000012.parquet</c>.</param>
/// <param name="Bytes">The file's length in bytes.</param>
/// <param name="Sha256">The lowercase hex SHA-256 of the file's bytes.</param>
public sealed record ManifestFile(string Name, long Bytes, string Sha256);
