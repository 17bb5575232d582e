using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Backflow.Protocol.Manifests;
using Microsoft.Data.Sqlite;

namespace Backflow.Benchmarks;

/// <summary>A server data folder driven through the real <c>backflow-server</c> CLI, plus read-only peeks into it.</summary>
internal sealed class ServerData(string root, string name)
{
    public string DataDirectory { get; } = Path.Combine(root, name);

    public string CatalogDirectory => BuiltPaths.Catalog;

    public string MetadataDatabase => Path.Combine(DataDirectory, "metadata.db");

    public Task<ChildResult> CliAsync(params string[] args) =>
        ChildRun.RunAsync(BuiltPaths.ServerDll, [.. args, "--data", DataDirectory, "--catalog", CatalogDirectory], root);

    public async Task<ChildResult> PublishAsync(string file, string? publishId = null)
    {
        string[] args = ["publish", "--dataset", MarketRows.Dataset, "--file", file, "--json"];
        var result = await CliAsync(publishId is null ? args : [.. args, "--publish-id", publishId]);
        return result.EnsureSuccess("backflow-server publish " + file);
    }

    /// <summary>The stored envelope and extract file of one sequence of the benchmark region.</summary>
    public (byte[] Envelope, string ExtractPath) Extract(long sequence)
    {
        using var connection = new SqliteConnection($"Data Source={MetadataDatabase};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT envelope, file_name FROM manifests WHERE dataset = $d AND region = $r AND sequence = $s";
        command.Parameters.AddWithValue("$d", MarketRows.Dataset);
        command.Parameters.AddWithValue("$r", MarketRows.Region);
        command.Parameters.AddWithValue("$s", sequence);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidOperationException($"no manifest for {MarketRows.Dataset}/{MarketRows.Region} sequence {sequence.ToString(CultureInfo.InvariantCulture)}");
        }

        var envelope = (byte[])reader.GetValue(0);
        var name = reader.GetString(1);
        return (envelope, Path.Combine(DataDirectory, "extracts", name.Replace('/', Path.DirectorySeparatorChar)));
    }

    /// <summary>The public half of the server's signing key, as an agent pins it at enrollment.</summary>
    public string PublicKeyPem()
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(DataDirectory, "keys", "signing-key.pem")));
        return TrustedKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo()).ToPem();
    }

    public static long RowsRead(ChildResult publish) =>
        JsonDocument.Parse(publish.Output).RootElement.GetProperty("rowsRead").GetInt64();
}
