using Backflow.Server.Rows;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Tests.Functional.Kit;

/// <summary>A key index entry with the row it points at, read from its dataset's row file.</summary>
internal readonly record struct StoredRow(string Dataset, byte[] Key, string Region, byte[] Hash, long DataId, byte[] Data);

/// <summary>Reads back what the key index and the row files hold, as the snapshot and re-base code reads it.</summary>
internal static class StoredRows
{
    public static List<StoredRow> All(SqliteConnection connection)
    {
        var keys = connection.Query<(string Dataset, byte[] Key, string Region, byte[] Hash, long DataId)>(
            "SELECT dataset, row_key, region, row_hash, data_id FROM key_index ORDER BY dataset, data_id").ToList();
        var rows = new List<StoredRow>(keys.Count);
        foreach (var dataset in keys.GroupBy(k => k.Dataset))
        {
            using var file = RowFileReader.Open(connection, null, dataset.Key);
            rows.AddRange(dataset.Select(k => new StoredRow(k.Dataset, k.Key, k.Region, k.Hash, k.DataId, file.Read(k.DataId).ToArray())));
        }

        return rows;
    }
}
