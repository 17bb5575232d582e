using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;

namespace Backflow.Protocol.Tests.Rows;

/// <summary>The decoder is the exact inverse of the encoder on every golden vector (snapshots depend on it).</summary>
public sealed class CanonicalDecoderTests
{
    public static TheoryData<string> RowNames => new(GoldenVectors.Rows.Select(r => r.Name));

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Each_golden_encoding_decodes_to_values_that_encode_to_the_same_bytes(string name)
    {
        var row = GoldenVectors.Row(name);
        var values = CanonicalDecoder.DecodeRow(GoldenVectors.Dataset, Convert.FromHexString(row.Encoding));

        Assert.Equal(row.Encoding, Convert.ToHexStringLower(new CanonicalEncoder().EncodeRow(GoldenVectors.Dataset, values)));
        for (var i = 0; i < values.Length; i++)
        {
            if (row.Values[i] is double expected && (double.IsNaN(expected) || expected == 0d))
            {
                continue; // canonicalised: one NaN, one zero
            }

            Assert.Equal(row.Values[i], values[i]);
        }
    }

    [Fact]
    public void Omitted_trailing_nulls_decode_as_nulls_also_under_a_schema_with_appended_columns()
    {
        var row = GoldenVectors.Rows.First(r => r.Values[^1] is null);
        var wider = AppendNullable(GoldenVectors.Dataset, "added_later");

        var values = CanonicalDecoder.DecodeRow(wider, Convert.FromHexString(row.Encoding));

        Assert.Equal(wider.Columns.Count, values.Length);
        Assert.Null(values[^1]);
        Assert.Equal(row.Encoding, Convert.ToHexStringLower(new CanonicalEncoder().EncodeRow(wider, values)));
    }

    [Fact]
    public void A_truncated_encoding_is_refused_naming_the_column()
    {
        var row = GoldenVectors.Rows[0];
        var bytes = Convert.FromHexString(row.Encoding)[..^1];

        var error = Assert.Throws<FormatException>(() => CanonicalDecoder.DecodeRow(GoldenVectors.Dataset, bytes));
        Assert.Contains("column '", error.Message, StringComparison.Ordinal);
    }

    private static DatasetDefinition AppendNullable(DatasetDefinition dataset, string column)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(CatalogWriter.ToJson(dataset))!;
        json["columns"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["name"] = column, ["type"] = "string", ["nullable"] = true });
        return CatalogReader.Parse(json.ToJsonString(), "test");
    }
}
