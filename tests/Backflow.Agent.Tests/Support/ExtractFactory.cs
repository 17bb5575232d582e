using System.Security.Cryptography;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Manifests;
using Backflow.Protocol.Regions;

namespace Backflow.Agent.Tests.Support;

/// <summary>Writes real extract files and signs real manifests for them.</summary>
internal static class ExtractFactory
{
    public static async Task<byte[]> WriteAsync(string region, long sequence, int rows, string? schemaHash = null, string? headerRegion = null, long? headerSequence = null)
    {
        var definition = TestCatalog.Definition;
        using var output = new MemoryStream();
        var header = new ExtractHeader(definition.Id, headerRegion ?? region, headerSequence ?? sequence, schemaHash ?? definition.SchemaHash, ExtractHeader.Delta);
        await using (var writer = await ExtractWriter.CreateAsync(output, definition, header))
        {
            var batch = Enumerable.Range(0, rows)
                .Select(i => new ExtractRow(ChangeOp.Upsert, [$"{region}-{sequence}-{i}", $"主体 {i}", headerRegion ?? region, 12.34m + i]))
                .ToList();
            await writer.WriteRowGroupAsync(batch);
        }

        return output.ToArray();
    }

    public static byte[] Sign(SigningKey key, string region, long sequence, byte[] file, int rows, string? schemaHash = null, string? dataset = null)
    {
        var manifest = new Manifest(
            dataset ?? TestCatalog.Dataset,
            RegionCode.Parse(region),
            sequence,
            ExtractKind.Delta,
            1,
            1,
            schemaHash ?? TestCatalog.Definition.SchemaHash,
            new ManifestFile($"{TestCatalog.Dataset}.{region}.{sequence:D6}.parquet", file.Length, Convert.ToHexStringLower(SHA256.HashData(file))),
            new ManifestCounts(rows, 0),
            new ManifestState(rows * sequence, 0),
            $"publish-{sequence}",
            new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));
        return Dsse.Serialize(ManifestSigner.Sign(manifest, key));
    }
}
