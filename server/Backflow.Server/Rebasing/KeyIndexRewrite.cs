using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;
using Backflow.Server.Publishing;
using Backflow.Server.Publishing.Input;
using Backflow.Server.Rows;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Rebasing;

/// <summary>
/// Replaces a dataset's key index inside a re-base's write transaction: either with every row of a full reload, or by
/// re-encoding the stored rows under a schema that only removed (or added nullable) columns. Goes through
/// <see cref="KeyIndex"/> for the writes, so the stored forms are exactly what a publish stores.
/// </summary>
internal static class KeyIndexRewrite
{
    /// <summary>Rows read and rewritten per page when re-encoding: bounded memory, and no table scan open while
    /// the same table is written.</summary>
    private const int Page = 10_000;

    /// <summary>Drops every stored row of the dataset and stores the rows of <paramref name="input"/> instead.</summary>
    /// <returns>The rows stored; rejected with every problem when the input has any.</returns>
    public static async Task<long> ReplaceAsync(
        SqliteConnection connection, SqliteTransaction transaction, DatasetDefinition dataset, ChangesetInput input, CancellationToken ct)
    {
        var encoder = new CanonicalEncoder();
        long rows = 0;
        using var index = new KeyIndex(connection, transaction, dataset.Id, replaceAll: true);
        await foreach (var row in input.ReadUpsertsAsync(ct))
        {
            if (input.Problems.HasProblems)
            {
                continue; // read on to report every problem; nothing is kept
            }

            var data = encoder.EncodeRow(dataset, row.Values).ToArray();
            index.Put(row.Key, (string)row.Values[dataset.RegionOrdinal]!, RowDigest.Digest(data), data, existing: null);
            rows++;
        }

        await foreach (var _ in input.ReadDeletesAsync(ct))
        {
            // A full reload has no deletes file; reading it completes the input's problem list.
        }

        if (input.Problems.HasProblems)
        {
            throw new PublishRejectedException(dataset.Id, input.Problems);
        }

        index.Flush();
        return rows;
    }

    /// <summary>Re-encodes every stored row from <paramref name="published"/>'s columns to <paramref name="dataset"/>'s: kept
    /// columns keep their values, removed ones are dropped, added (nullable) ones are null. Keys and regions do not change.</summary>
    public static long Project(SqliteConnection connection, SqliteTransaction transaction, DatasetDefinition published, DatasetDefinition dataset)
    {
        var sources = dataset.Columns.Select(c => published.OrdinalOf(c.Name)).ToArray();
        var encoder = new CanonicalEncoder();
        var values = new object?[dataset.Columns.Count];
        long rows = 0;
        byte[] after = [];
        // The reader sees the rows committed before this transaction; the new encodings are appended after them.
        using var stored = RowFileReader.Open(connection, transaction, dataset.Id);
        using var index = new KeyIndex(connection, transaction, dataset.Id);
        while (true)
        {
            var page = connection.Query<(byte[] Key, string Region, byte[] Hash, long DataId)>(
                """
                SELECT row_key, region, row_hash, data_id FROM key_index
                WHERE dataset = @Id AND row_key > @after ORDER BY row_key LIMIT @Page
                """,
                new { dataset.Id, after, Page }, transaction).ToList();
            foreach (var (key, region, hash, dataId) in page)
            {
                var old = CanonicalDecoder.DecodeRow(published, stored.Read(dataId));
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = sources[i] < 0 ? null : old[sources[i]];
                }

                var encoded = encoder.EncodeRow(dataset, values).ToArray();
                index.Put(key, region, RowDigest.Digest(encoded), encoded, new IndexEntry(region, hash, dataId));
            }

            rows += page.Count;
            if (page.Count < Page)
            {
                index.Flush();
                return rows;
            }

            after = page[^1].Key;
        }
    }
}
