using System.Security.Cryptography;
using System.Text.Json;
using Backflow.EndToEnd.Tests.Kit;
using Backflow.Protocol.Hashing;
using Backflow.Protocol.Manifests;

namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>
/// 50 random single-byte corruptions of extracts and manifests published by the real server, each checked the way
/// the agent admits a download: the envelope's signature against the pinned key, then the file's length and
/// SHA-256 against the signed manifest. Every one must be rejected.
/// </summary>
public sealed class CorruptionTests(ITestOutputHelper output)
{
    private const int Trials = 50;

    [Fact]
    public async Task Every_single_byte_corruption_of_an_extract_or_a_manifest_is_rejected()
    {
        await using var server = new ServerProcess();
        await server.CliJsonAsync("publish", "--dataset", MarketCsv.Dataset, "--file", MarketCsv.Write(Path.Combine(server.Root, "a.csv"), 3_000, 1));
        await server.CliJsonAsync("publish", "--dataset", MarketCsv.Dataset, "--file", MarketCsv.Write(Path.Combine(server.Root, "b.csv"), 3_000, 2));
        var extracts = new ServerStore(server.DataDirectory).Extracts();
        Assert.Equal(6, extracts.Count);
        var verifier = new ManifestVerifier([PinnedKey(server.DataDirectory)]);
        foreach (var extract in extracts)
        {
            Assert.True(await AdmitsAsync(verifier, extract.Envelope, await File.ReadAllBytesAsync(extract.Path)), "an untouched extract must be admitted");
        }

        var random = new Random(5);
        int manifests = 0, files = 0, rejected = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var extract = extracts[random.Next(extracts.Count)];
            var envelope = extract.Envelope.ToArray();
            var file = await File.ReadAllBytesAsync(extract.Path);
            var target = trial % 2 == 0 ? envelope : file;
            _ = target == envelope ? manifests++ : files++;
            var offset = random.Next(target.Length);
            target[offset] ^= (byte)random.Next(1, 256);
            if (!await AdmitsAsync(verifier, envelope, file))
            {
                rejected++;
            }
            else
            {
                output.WriteLine($"ADMITTED: {(target == envelope ? "manifest" : "extract")} of {extract.Region}#{extract.Sequence} byte {offset}");
            }
        }

        FaultTally.Print(output, "single-byte corruptions", $"trials {Trials} ({manifests} manifests, {files} extracts), rejected {rejected}, admitted {Trials - rejected}");
        Assert.Equal(Trials, rejected);
    }

    private static async Task<bool> AdmitsAsync(ManifestVerifier verifier, byte[] envelope, byte[] file)
    {
        ManifestVerification verification;
        try
        {
            verification = verifier.Verify(envelope);
        }
        catch (Exception e) when (e is JsonException or FormatException or ManifestFormatException)
        {
            return false;
        }

        if (!verification.Succeeded)
        {
            return false;
        }

        using var stream = new MemoryStream(file);
        var (sha256, length) = await ContentHash.ComputeAsync(stream);
        return sha256 == verification.Manifest!.File.Sha256 && length == verification.Manifest.File.Bytes;
    }

    private static TrustedKey PinnedKey(string dataDirectory)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(dataDirectory, "keys", "signing-key.pem")));
        return TrustedKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
    }
}
