using Backflow.Protocol.Rows;

namespace Backflow.Protocol.Tests.Rows;

/// <summary>The golden vectors in Golden/canonical-vectors.json pin the wire format: any change here is a protocol change.</summary>
public sealed class CanonicalGoldenVectorTests
{
    public static TheoryData<string> RowNames => new(GoldenVectors.Rows.Select(r => r.Name));

    [Fact]
    public void The_golden_catalog_has_the_fixed_schema_text_and_hash()
    {
        const string expectedText =
            "backflow.schema/1\nkey:seq,id\nregion:region\n"
            + "column:id:string:notnull\ncolumn:region:string:notnull\ncolumn:seq:int32:notnull\n"
            + "column:count:int64:null\ncolumn:amount:decimal(18,4):null\ncolumn:ratio:double:null\n"
            + "column:active:boolean:null\ncolumn:born:date:null\ncolumn:updated:timestamp:null\n"
            + "column:payload:binary:null\ncolumn:note:string:null\n";

        Assert.Equal(expectedText, GoldenVectors.Dataset.SchemaText);
        Assert.Equal("33f82bab36066d304a2c272242ce28310a0ad831dd9ce5a2bb9257661b87a5ca", GoldenVectors.Dataset.SchemaHash);
        Assert.Equal(GoldenVectors.SchemaHash, GoldenVectors.Dataset.SchemaHash);
    }

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Each_golden_row_encodes_to_its_fixed_bytes(string name)
    {
        var row = GoldenVectors.Row(name);
        var encoding = new CanonicalEncoder().EncodeRow(GoldenVectors.Dataset, row.Values);
        Assert.Equal(row.Encoding, Convert.ToHexStringLower(encoding));
    }

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Each_golden_row_has_its_fixed_digest_and_term(string name)
    {
        var row = GoldenVectors.Row(name);
        var encoding = new CanonicalEncoder().EncodeRow(GoldenVectors.Dataset, row.Values);
        Span<byte> digest = stackalloc byte[RowDigest.Size];

        var term = RowDigest.Compute(encoding, digest);

        Assert.Equal(row.Digest, Convert.ToHexStringLower(digest));
        Assert.Equal(row.Digest, Convert.ToHexStringLower(RowDigest.Digest(encoding)));
        Assert.Equal(row.Term, term.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(term, RowDigest.ChecksumTerm(encoding));
        Assert.Equal(term, RowDigest.TermOf(digest));
    }

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Each_golden_row_has_its_fixed_key_encoding(string name)
    {
        var row = GoldenVectors.Row(name);
        var key = new CanonicalEncoder().EncodeKey(GoldenVectors.Dataset, row.Values);
        Assert.Equal(row.Key, Convert.ToHexStringLower(key));
    }

    [Fact]
    public void The_golden_rows_have_the_fixed_region_checksum()
    {
        var encoder = new CanonicalEncoder();
        var checksum = RegionChecksum.Empty;
        foreach (var row in GoldenVectors.Rows)
        {
            checksum = checksum.Add(RowDigest.ChecksumTerm(encoder.EncodeRow(GoldenVectors.Dataset, row.Values)));
        }

        Assert.Equal(new RegionChecksum(7, 0xf97c32f4e7bc3930), checksum);
        Assert.Equal(GoldenVectors.Checksum, checksum);
        Assert.Equal("f97c32f4e7bc3930", checksum.SumHex);
    }

    [Fact]
    public void The_row_with_every_type_matches_a_hand_written_encoding_byte_by_byte()
    {
        byte[] expected =
        [
            0x01, 0x03, 0x00, 0x00, 0x00, (byte)'A', (byte)'-', (byte)'1',                      // id "A-1"
            0x01, 0x06, 0x00, 0x00, 0x00, (byte)'3', (byte)'3', (byte)'0', (byte)'1', (byte)'0', (byte)'6', // region
            0x01, 0x01, 0x00, 0x00, 0x00,                                                        // seq int32 1
            0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00,                                // count 2^53+1
            0x01, 0x0a, 0x00, 0x00, 0x00, .. "-1234.5600"u8,                                     // amount decimal(18,4)
            0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f,                                // ratio 1.5
            0x01, 0x01,                                                                          // active true
            0x01, 0xff, 0xff, 0xff, 0xff,                                                        // born 1969-12-31 = day -1
            0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,                                // updated = -1 µs
            0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0xff, 0x10,                                      // payload 00ff10
            0x01, 0x12, 0x00, 0x00, 0x00, .. "浙江省杭州市"u8,                                    // note, 18 UTF-8 bytes
        ];

        var row = GoldenVectors.Row("every type");
        var encoding = new CanonicalEncoder().EncodeRow(GoldenVectors.Dataset, row.Values);

        Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(encoding));
    }
}
