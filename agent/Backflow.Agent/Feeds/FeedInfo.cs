namespace Backflow.Agent.Feeds;

/// <summary>One (dataset, region) feed as the server lists it.</summary>
internal sealed record FeedInfo(
    string Dataset,
    string Region,
    int Generation,
    long LatestSequence,
    long OldestSequence,
    int SchemaVersion,
    string SchemaHash,
    long? LatestSnapshotSequence = null);
