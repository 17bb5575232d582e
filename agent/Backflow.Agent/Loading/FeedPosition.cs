namespace Backflow.Agent.Loading;

/// <summary>A feed's applied position as stored in <c>backflow_state</c>.</summary>
/// <param name="Checksum">16 lowercase hex digits of the region checksum sum.</param>
internal sealed record FeedPosition(
    string Dataset,
    string Region,
    long Sequence,
    int Generation,
    string SchemaHash,
    long RowCount,
    string Checksum,
    DateTimeOffset AppliedAt);
