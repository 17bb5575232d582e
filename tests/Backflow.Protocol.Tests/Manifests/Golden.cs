using Backflow.Protocol.Manifests;
using Backflow.Protocol.Regions;

namespace Backflow.Protocol.Tests.Manifests;

/// <summary>The golden vectors in Golden/ and the manifest they were made from.</summary>
internal static class Golden
{
    public const string KeyId = "0c1b6c0101d75910359a552d0a27554d92a716c431da0fdced76a6878152eac1";

    public static Manifest Manifest { get; } = new(
        "market-entities",
        RegionCode.Parse("330106"),
        12,
        ExtractKind.Delta,
        1,
        3,
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        new ManifestFile("market-entities.330106.000012.parquet", 48213, "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"),
        new ManifestCounts(10, 2),
        new ManifestState(1000, 0x0123456789abcdefUL),
        "pub-20261126-0640-7f3a",
        new DateTimeOffset(2026, 11, 26, 6, 40, 8, TimeSpan.Zero).AddTicks(1_234_560));

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Golden", name));

    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name));

    public static byte[] ManifestJson => Bytes("manifest.json");

    public static byte[] EnvelopeJson => Bytes("manifest.dsse.json");

    public static TrustedKey PublicKey => TrustedKey.FromPem(Text("test-signing-key.TEST-ONLY.pub.pem"));

    public static SigningKey PrivateKey() => SigningKey.ImportPkcs8Pem(Text("test-signing-key.TEST-ONLY.pem"));
}
