using System.Diagnostics;
using System.Globalization;
using Backflow.Agent.Loading.Sqlite;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Hashing;
using Backflow.Protocol.Manifests;
using Microsoft.Data.Sqlite;

namespace Backflow.Benchmarks;

/// <summary>
/// The agent's verify + apply path, run in a child process of its own so that its peak working set is the
/// agent's and not the benchmark's: the manifest's signature against the pinned key, the file's length and
/// SHA-256 against the manifest, then <see cref="SqliteLoadTarget.ApplyAsync"/> (which checks the region
/// checksum against the manifest before it commits). Prints the two phase times in milliseconds.
/// </summary>
internal static class ApplyChild
{
    public const string Command = "apply-child";

    public static async Task<int> RunAsync(string envelopePath, string extractPath, string keyPath, string databasePath)
    {
        var clock = Stopwatch.StartNew();
        var dataset = CatalogReader.ReadFile(Path.Combine(BuiltPaths.Catalog, MarketRows.Dataset + ".json"));
        var verifier = new ManifestVerifier([TrustedKey.FromPem(await File.ReadAllTextAsync(keyPath))]);
        var verification = verifier.Verify(await File.ReadAllBytesAsync(envelopePath));
        if (!verification.Succeeded)
        {
            await Console.Error.WriteLineAsync("manifest rejected: " + verification.Message);
            return 2;
        }

        var manifest = verification.Manifest!;
        await using var file = new FileStream(extractPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var (sha256, length) = await ContentHash.ComputeAsync(file);
        if (sha256 != manifest.File.Sha256 || length != manifest.File.Bytes)
        {
            await Console.Error.WriteLineAsync("extract file does not match its manifest");
            return 2;
        }

        file.Position = 0;
        var verified = clock.Elapsed;
        var target = new SqliteLoadTarget(new SqliteConnectionStringBuilder { DataSource = databasePath }.ToString(), TimeProvider.System);
        try
        {
            await using var extract = await ExtractReader.OpenAsync(file, dataset);
            var result = await target.ApplyAsync(dataset, manifest, extract, CancellationToken.None);
            var total = clock.Elapsed;
            await Console.Out.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{verified.TotalMilliseconds:F0} {(total - verified).TotalMilliseconds:F0} {result.Upserts + result.Deletes}"));
            return 0;
        }
        finally
        {
            await target.DisposeAsync();
        }
    }

    /// <summary>Parses the child's one output line: verify ms, apply ms, rows.</summary>
    public static (double VerifyMs, double ApplyMs, long Rows) Parse(string output)
    {
        var parts = output.Trim().Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
