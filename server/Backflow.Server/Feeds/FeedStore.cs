using Backflow.Protocol.Rows;
using Backflow.Server.Metadata;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Feeds;

/// <summary>Reads and writes the feeds and manifests tables.</summary>
internal static class FeedStore
{
    private const string FeedColumns =
        "dataset AS Dataset, region AS Region, generation AS Generation, latest_sequence AS LatestSequence, oldest_sequence AS OldestSequence, schema_version AS SchemaVersion, row_count AS RowCount, checksum AS Checksum";

    public static FeedState? Find(SqliteConnection connection, SqliteTransaction? transaction, string dataset, string region) =>
        connection.QuerySingleOrDefault<FeedRow>($"SELECT {FeedColumns} FROM feeds WHERE dataset = @dataset AND region = @region", new { dataset, region }, transaction)?.ToState();

    public static IReadOnlyList<FeedState> ForDataset(SqliteConnection connection, string dataset) =>
        connection.Query<FeedRow>($"SELECT {FeedColumns} FROM feeds WHERE dataset = @dataset ORDER BY region", new { dataset }).Select(r => r.ToState()).ToList();

    public static void Save(SqliteConnection connection, SqliteTransaction transaction, FeedState feed, DateTimeOffset now) =>
        connection.Execute(
            """
            INSERT INTO feeds (dataset, region, generation, latest_sequence, oldest_sequence, schema_version, row_count, checksum, updated_at)
            VALUES (@Dataset, @Region, @Generation, @LatestSequence, @OldestSequence, @SchemaVersion, @RowCount, @Checksum, @now)
            ON CONFLICT (dataset, region) DO UPDATE SET
                generation = excluded.generation, latest_sequence = excluded.latest_sequence, oldest_sequence = excluded.oldest_sequence,
                schema_version = excluded.schema_version, row_count = excluded.row_count, checksum = excluded.checksum, updated_at = excluded.updated_at
            """,
            new
            {
                feed.Dataset,
                feed.Region,
                feed.Generation,
                feed.LatestSequence,
                feed.OldestSequence,
                feed.SchemaVersion,
                feed.Checksum.RowCount,
                Checksum = feed.Checksum.SumHex,
                now = Timestamps.ToText(now),
            },
            transaction);

    public static void InsertManifest(SqliteConnection connection, SqliteTransaction transaction, StoredManifest manifest) =>
        connection.Execute(
            """
            INSERT INTO manifests (dataset, region, sequence, kind, generation, file_name, file_bytes, file_sha256, upserts, deletes, publish_id, published_at, envelope)
            VALUES (@Dataset, @Region, @Sequence, @Kind, @Generation, @FileName, @FileBytes, @FileSha256, @Upserts, @Deletes, @PublishId, @PublishedAt, @Envelope)
            """,
            manifest,
            transaction);

    public static IReadOnlyList<StoredManifest> ManifestsAfter(SqliteConnection connection, string dataset, string region, long after, int limit) =>
        connection.Query<StoredManifest>(
            """
            SELECT dataset AS Dataset, region AS Region, sequence AS Sequence, kind AS Kind, generation AS Generation, file_name AS FileName,
                   file_bytes AS FileBytes, file_sha256 AS FileSha256, upserts AS Upserts, deletes AS Deletes, publish_id AS PublishId,
                   published_at AS PublishedAt, envelope AS Envelope
            FROM manifests WHERE dataset = @dataset AND region = @region AND sequence > @after ORDER BY sequence LIMIT @limit
            """,
            new { dataset, region, after, limit }).ToList();

    public static StoredManifest? FindManifest(SqliteConnection connection, string dataset, string region, long sequence) =>
        connection.QuerySingleOrDefault<StoredManifest>(
            """
            SELECT dataset AS Dataset, region AS Region, sequence AS Sequence, kind AS Kind, generation AS Generation, file_name AS FileName,
                   file_bytes AS FileBytes, file_sha256 AS FileSha256, upserts AS Upserts, deletes AS Deletes, publish_id AS PublishId,
                   published_at AS PublishedAt, envelope AS Envelope
            FROM manifests WHERE dataset = @dataset AND region = @region AND sequence = @sequence
            """,
            new { dataset, region, sequence });

    private sealed record FeedRow(string Dataset, string Region, long Generation, long LatestSequence, long OldestSequence, long SchemaVersion, long RowCount, string Checksum)
    {
        public FeedState ToState() => new(Dataset, Region, Generation, LatestSequence, OldestSequence, SchemaVersion, RegionChecksum.Parse(RowCount, Checksum));
    }
}
