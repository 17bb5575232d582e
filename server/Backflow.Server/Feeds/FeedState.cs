using Backflow.Protocol.Rows;

namespace Backflow.Server.Feeds;

/// <summary>A (dataset, region) feed as stored: where its sequence stands and its row count and checksum.</summary>
internal sealed record FeedState(string Dataset, string Region, long Generation, long LatestSequence, long OldestSequence, long SchemaVersion, RegionChecksum Checksum)
{
    public static FeedState New(string dataset, string region) => new(dataset, region, 1, 0, 1, 0, RegionChecksum.Empty);
}
