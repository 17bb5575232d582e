using System.Text;
using System.Text.Json.Nodes;
using Backflow.Protocol.Manifests;

namespace Backflow.Protocol.Tests.Manifests;

public sealed class ManifestSerializerTests
{
    private const string Hash64 = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    [Fact]
    public void The_golden_manifest_serializes_to_exactly_the_golden_bytes()
    {
        Assert.Equal(Encoding.UTF8.GetString(Golden.ManifestJson), Encoding.UTF8.GetString(ManifestSerializer.Serialize(Golden.Manifest)));
        Assert.Equal(Golden.ManifestJson, ManifestSerializer.Serialize(Golden.Manifest));
    }

    [Fact]
    public void The_golden_bytes_deserialize_to_the_golden_manifest()
    {
        Assert.Equal(Golden.Manifest, ManifestSerializer.Deserialize(Golden.ManifestJson));
    }

    [Fact]
    public void A_snapshot_with_a_large_checksum_round_trips()
    {
        var manifest = Golden.Manifest with
        {
            Kind = ExtractKind.Snapshot,
            State = new ManifestState(long.MaxValue, ulong.MaxValue),
            PublishId = "发布+<1>",
        };

        var json = ManifestSerializer.Serialize(manifest);

        Assert.Equal(manifest, ManifestSerializer.Deserialize(json));
        Assert.Contains("\"kind\":\"snapshot\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.Contains("\"checksum\":\"ffffffffffffffff\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.Contains("\"publishId\":\"发布+<1>\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }

    [Fact]
    public void The_publish_time_is_written_in_utc_with_exactly_six_fraction_digits()
    {
        var manifest = Golden.Manifest with { PublishedAt = new DateTimeOffset(2026, 11, 26, 14, 40, 8, TimeSpan.FromHours(8)).AddTicks(9) };

        var json = Encoding.UTF8.GetString(ManifestSerializer.Serialize(manifest));

        Assert.Contains("\"publishedAt\":\"2026-11-26T06:40:08.000000Z\"", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-26T06:40:08Z")]
    [InlineData("2026-11-26T06:40:08.1Z")]
    [InlineData("2026-11-26T06:40:08.123456Z")]
    public void Publish_times_with_fewer_fraction_digits_from_other_writers_are_read(string text)
    {
        var json = Mutate("publishedAt", JsonValue.Create(text));

        Assert.Equal(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture), ManifestSerializer.Deserialize(json).PublishedAt);
    }

    [Fact]
    public void Unknown_properties_are_ignored_so_that_newer_servers_can_add_fields()
    {
        var node = JsonNode.Parse(Golden.ManifestJson)!.AsObject();
        node["futureField"] = new JsonObject { ["x"] = 1 };
        node["file"]!.AsObject()["compression"] = "zstd";

        Assert.Equal(Golden.Manifest, ManifestSerializer.Deserialize(Encoding.UTF8.GetBytes(node.ToJsonString())));
    }

    [Fact]
    public void A_duplicated_property_is_rejected_because_parsers_may_disagree_on_which_one_counts()
    {
        var json = Encoding.UTF8.GetString(Golden.ManifestJson).Replace("\"sequence\":12,", "\"sequence\":12,\"sequence\":13,", StringComparison.Ordinal);

        var thrown = Assert.Throws<ManifestFormatException>(() => ManifestSerializer.Deserialize(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("sequence", thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("format", "\"backflow.manifest/2\"")]
    [InlineData("format", null)]
    [InlineData("dataset", "\"Market-entities\"")]
    [InlineData("dataset", "\"market--entities\"")]
    [InlineData("dataset", "\"market-entities-\"")]
    [InlineData("dataset", "\"9market\"")]
    [InlineData("dataset", "\"\"")]
    [InlineData("dataset", null)]
    [InlineData("region", "\"33010\"")]
    [InlineData("region", "\"000106\"")]
    [InlineData("region", "330106")]
    [InlineData("region", null)]
    [InlineData("sequence", "0")]
    [InlineData("sequence", "-1")]
    [InlineData("sequence", "1.5")]
    [InlineData("sequence", "\"12\"")]
    [InlineData("sequence", null)]
    [InlineData("kind", "\"full\"")]
    [InlineData("kind", "\"Delta\"")]
    [InlineData("kind", null)]
    [InlineData("generation", "0")]
    [InlineData("generation", null)]
    [InlineData("schemaVersion", "0")]
    [InlineData("schemaVersion", null)]
    [InlineData("schemaHash", "\"" + "2C26B46B68FFC68FF99B453C1D30413413422D706483BFA0F98A5E886266E7AE" + "\"")]
    [InlineData("schemaHash", "\"2c26b46b\"")]
    [InlineData("schemaHash", "\"" + Hash64 + "\\n\"")]
    [InlineData("schemaHash", null)]
    [InlineData("file", null)]
    [InlineData("file.name", "\"../etc/passwd\"")]
    [InlineData("file.name", "\"..\"")]
    [InlineData("file.name", "\"a\\\\b.parquet\"")]
    [InlineData("file.name", null)]
    [InlineData("file.bytes", "-1")]
    [InlineData("file.bytes", null)]
    [InlineData("file.sha256", "\"zz26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\"")]
    [InlineData("file.sha256", null)]
    [InlineData("counts", null)]
    [InlineData("counts.upserts", "-1")]
    [InlineData("counts.deletes", "-2")]
    [InlineData("counts.deletes", null)]
    [InlineData("state", null)]
    [InlineData("state.rowCount", "-1")]
    [InlineData("state.rowCount", null)]
    [InlineData("state.checksum", "\"0123456789ABCDEF\"")]
    [InlineData("state.checksum", "\"123\"")]
    [InlineData("state.checksum", "\"0123456789abcdef0\"")]
    [InlineData("state.checksum", "81985529216486895")]
    [InlineData("state.checksum", null)]
    [InlineData("publishId", "\"\"")]
    [InlineData("publishId", null)]
    [InlineData("publishedAt", "\"yesterday\"")]
    [InlineData("publishedAt", "\"2026-11-26T06:40:08+08:00\"")]
    [InlineData("publishedAt", null)]
    public void Each_invalid_or_missing_field_is_rejected_by_name(string field, string? json)
    {
        var bytes = Mutate(field, json is null ? null : JsonNode.Parse(json));

        var thrown = Assert.Throws<ManifestFormatException>(() => ManifestSerializer.Deserialize(bytes));

        Assert.Equal(field, thrown.Field);
        Assert.Contains($"'{field}'", thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"format\":")]
    [InlineData("not json")]
    public void Input_that_is_not_a_json_object_is_rejected(string json)
    {
        Assert.Throws<ManifestFormatException>(() => ManifestSerializer.Deserialize(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Serialize_refuses_a_manifest_that_agents_would_reject()
    {
        var thrown = Assert.Throws<ManifestFormatException>(() => ManifestSerializer.Serialize(Golden.Manifest with { Sequence = 0 }));

        Assert.Equal("sequence", thrown.Field);
    }

    /// <summary>The golden manifest with one field (a dotted path) replaced, or removed when <paramref name="value"/> is null.</summary>
    private static byte[] Mutate(string field, JsonNode? value)
    {
        var root = JsonNode.Parse(Golden.ManifestJson)!.AsObject();
        var parts = field.Split('.');
        var parent = parts.Length == 1 ? root : root[parts[0]]!.AsObject();
        if (value is null)
        {
            parent.Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = value;
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
