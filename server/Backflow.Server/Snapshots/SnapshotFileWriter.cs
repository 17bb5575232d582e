using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Hashing;
using Backflow.Protocol.Rows;
using Backflow.Server.Rows;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Snapshots;

/// <summary>
/// Streams a region's live rows from the key index into a snapshot extract: one row group buffered at a time, so
/// memory stays flat whatever the region's size. The checksum is summed from the stored encodings as they pass.
/// </summary>
internal static class SnapshotFileWriter
{
    /// <summary>Rows per row group; the same order of size as a publish's, so a county machine reads it comfortably.</summary>
    public const int RowGroupSize = 10_000;

    public static async Task<(RegionChecksum Checksum, long Bytes, string Sha256)> WriteAsync(
        SqliteConnection connection, SqliteTransaction transaction, DatasetDefinition dataset, ExtractHeader header, string path, CancellationToken ct)
    {
        // Opened first: `compact` or a full re-base may replace the file once this transaction has begun (RowFileMissingException).
        using var rows = RowFileReader.Open(connection, transaction, header.Dataset);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 256 * 1024, useAsync: true);
        await using var hashing = new HashingStream(file, HashingStreamMode.Write, leaveOpen: true);
        var checksum = RegionChecksum.Empty;
        await using (var writer = await ExtractWriter.CreateAsync(hashing, dataset, header, ct))
        {
            var buffer = new List<ExtractRow>(RowGroupSize);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            // region_rows' key (dataset, region, data_id) gives this order without a sort, and the row file is read forwards.
            command.CommandText = "SELECT data_id FROM region_rows WHERE dataset = $dataset AND region = $region ORDER BY data_id";
            command.Parameters.AddWithValue("$dataset", header.Dataset);
            command.Parameters.AddWithValue("$region", header.Region);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var data = rows.Read(reader.GetInt64(0));
                checksum = checksum.Add(RowDigest.ChecksumTerm(data));
                buffer.Add(new ExtractRow(ChangeOp.Upsert, CanonicalDecoder.DecodeRow(dataset, data)));
                if (buffer.Count >= RowGroupSize)
                {
                    await writer.WriteRowGroupAsync(buffer, ct);
                    buffer.Clear();
                }
            }

            await writer.WriteRowGroupAsync(buffer, ct);
        }

        await hashing.FlushAsync(ct);
        await file.FlushAsync(ct);
        file.Flush(flushToDisk: true);
        return (checksum, hashing.BytesHashed, hashing.HashHex);
    }
}
