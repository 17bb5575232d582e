using Microsoft.Data.Sqlite;

namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>Read-only views of a server's data folder: its manifests and the extract files they point to.</summary>
internal sealed class ServerStore(string dataDirectory)
{
    public sealed record StoredExtract(string Dataset, string Region, long Sequence, string PublishId, string Path, long Bytes, string Sha256, byte[] Envelope);

    public IReadOnlyList<StoredExtract> Extracts()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT dataset, region, sequence, publish_id, file_name, file_bytes, file_sha256, envelope FROM manifests ORDER BY dataset, region, sequence";
        using var reader = command.ExecuteReader();
        var list = new List<StoredExtract>();
        while (reader.Read())
        {
            var file = System.IO.Path.Combine(dataDirectory, "extracts", reader.GetString(4).Replace('/', System.IO.Path.DirectorySeparatorChar));
            list.Add(new StoredExtract(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), file, reader.GetInt64(5), reader.GetString(6), (byte[])reader.GetValue(7)));
        }

        return list;
    }

    public IReadOnlySet<string> PublishIds()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT publish_id FROM publishes";
        using var reader = command.ExecuteReader();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public IReadOnlyDictionary<string, long> LatestSequences()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT dataset || '/' || region, latest_sequence FROM feeds";
        using var reader = command.ExecuteReader();
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            map[reader.GetString(0)] = reader.GetInt64(1);
        }

        return map;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={System.IO.Path.Combine(dataDirectory, "metadata.db")};Pooling=False");
        connection.Open();
        return connection;
    }
}
