using System.Security.Cryptography;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Manifests;
using Backflow.Protocol.Regions;
using Backflow.Protocol.Rows;

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
            await writer.WriteRowGroupAsync(Rows(headerRegion ?? region, sequence, rows));
        }

        return output.ToArray();
    }

    public static List<ExtractRow> Rows(string region, long sequence, int rows) =>
        [.. Enumerable.Range(0, rows).Select(i => new ExtractRow(ChangeOp.Upsert, [$"{region}-{sequence}-{i}", $"主体 {i}", region, 12.34m + i]))];

    /// <summary>The region after sequences 1..<paramref name="sequence"/> of <paramref name="rows"/> new rows each.</summary>
    public static ManifestState StateAfter(string region, long sequence, int rows)
    {
        var encoder = new CanonicalEncoder();
        var checksum = RegionChecksum.Empty;
        for (var s = 1; s <= sequence; s++)
        {
            foreach (var row in Rows(region, s, rows))
            {
                checksum = checksum.Add(RowDigest.ChecksumTerm(encoder.EncodeRow(TestCatalog.Definition, row.Values)));
            }
        }

        return new ManifestState(checksum.RowCount, checksum.Sum);
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
            StateAfter(region, sequence, rows),
            $"publish-{sequence}",
            new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));
        return Dsse.Serialize(ManifestSigner.Sign(manifest, key));
    }
}
