namespace Backflow.Protocol.Manifests;

/// <summary>The state of the region once the extract is applied, for reconciliation.</summary>
/// <param name="RowCount">The number of live rows in the region.</param>
/// <param name="Checksum">
/// The region checksum (the sum modulo 2^64 of each live row's hash); written in JSON as 16 lowercase hex digits.
/// </param>
public sealed record ManifestState(long RowCount, ulong Checksum);
