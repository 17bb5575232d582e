namespace Backflow.Server.Publishing;

/// <summary>What a publish did. The same shape is printed by the CLI with --json and returned by the HTTP API.</summary>
internal sealed record PublishResult(
    string PublishId,
    string Dataset,
    IReadOnlyList<RegionPublishResult> Regions,
    long RowsRead,
    long Unchanged,
    long DeletesNotFound,
    string PublishedAt)
{
    /// <summary>True when this publish id had been published before and nothing new was published now.</summary>
    public bool Repeated { get; init; }

    public long Upserts => Regions.Sum(r => r.Upserts);

    public long Deletes => Regions.Sum(r => r.Deletes);
}
