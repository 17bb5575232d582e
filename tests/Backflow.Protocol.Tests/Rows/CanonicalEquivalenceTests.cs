using Backflow.Protocol.Rows;

namespace Backflow.Protocol.Tests.Rows;

/// <summary>Values that mean the same must encode the same; values that differ must not.</summary>
public sealed class CanonicalEquivalenceTests
{
    private readonly CanonicalEncoder _encoder = new();

    [Fact]
    public void Decimals_with_different_trailing_zeros_encode_the_same()
    {
        var dataset = TestDatasets.OneColumn("decimal(20,4)");
        Assert.Equal(Encode(dataset, 12.3400m), Encode(dataset, 12.34m));
        Assert.Equal("0107000000" + Convert.ToHexStringLower("12.3400"u8), Encode(dataset, 12.34m)[^24..]);
    }

    [Fact]
    public void Negative_zero_decimal_encodes_as_zero()
    {
        var dataset = TestDatasets.OneColumn("decimal(10,2)");
        Assert.Equal(Encode(dataset, 0.00m), Encode(dataset, -0.00m));
        Assert.Equal(Encode(dataset, 0m), Encode(dataset, decimal.Negate(0.0m)));
        Assert.EndsWith(Convert.ToHexStringLower("0.00"u8), Encode(dataset, -0.00m), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(2, "0.00")]
    [InlineData(2, "-0.05")]
    [InlineData(4, "-1234.5600")]
    [InlineData(0, "-7")]
    [InlineData(3, "1000000.001")]
    [InlineData(28, "0.0000000000000000000000000001")]
    [InlineData(0, "79228162514264337593543950335")]
    public void Decimal_text_is_the_canonical_text_of_RowValues(int scale, string text)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var dataset = TestDatasets.OneColumn($"decimal({Math.Max(scale, 28)},{scale})");
        var canonical = RowValues.FormatDecimal(value, scale);

        Assert.Equal(text, canonical);
        Assert.EndsWith(Convert.ToHexStringLower(System.Text.Encoding.ASCII.GetBytes(canonical)), Encode(dataset, value), StringComparison.Ordinal);
    }

    [Fact]
    public void A_decimal_with_more_digits_than_the_scale_is_refused()
    {
        var dataset = TestDatasets.OneColumn("decimal(10,2)");
        var e = Assert.Throws<ArgumentException>(() => Encode(dataset, 1.005m));
        Assert.Contains("'v'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_zero_double_encodes_as_positive_zero()
    {
        var dataset = TestDatasets.OneColumn("double");
        Assert.Equal(Encode(dataset, 0.0), Encode(dataset, -0.0));
        Assert.EndsWith("010000000000000000", Encode(dataset, -0.0), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x7FF8_0000_0000_0000L)]
    [InlineData(unchecked((long)0xFFF8_0000_0000_0000UL))]
    [InlineData(0x7FF0_0000_0000_0001L)]
    [InlineData(0x7FFF_FFFF_FFFF_FFFFL)]
    [InlineData(unchecked((long)0xFFF0_0000_DEAD_BEEFUL))]
    public void Every_NaN_encodes_as_the_one_quiet_NaN(long bits)
    {
        var dataset = TestDatasets.OneColumn("double");
        var nan = BitConverter.Int64BitsToDouble(bits);
        Assert.True(double.IsNaN(nan));
        Assert.EndsWith("01000000000000f87f", Encode(dataset, nan), StringComparison.Ordinal);
        Assert.Equal(Encode(dataset, double.NaN), Encode(dataset, nan));
    }

    [Fact]
    public void Null_and_empty_string_encode_differently()
    {
        var dataset = TestDatasets.With("""{ "name": "a", "type": "string" }""", """{ "name": "b", "type": "int32" }""");
        Assert.NotEqual(Encode(dataset, null, 1), Encode(dataset, string.Empty, 1));
        Assert.NotEqual(Encode(dataset, null, null), Encode(dataset, string.Empty, null));
    }

    [Fact]
    public void Null_and_empty_binary_encode_differently()
    {
        var dataset = TestDatasets.OneColumn("binary");
        Assert.NotEqual(Encode(dataset, (object?)null), Encode(dataset, Array.Empty<byte>()));
    }

    [Fact]
    public void Trailing_nulls_do_not_change_the_encoding()
    {
        var dataset = TestDatasets.With("""{ "name": "a", "type": "int32" }""", """{ "name": "b", "type": "string" }""", """{ "name": "c", "type": "double" }""");
        Assert.Equal("0101000000610106000000333330313036" + "0105000000", Encode(dataset, 5, null, null));
        Assert.Equal("0101000000610106000000333330313036", Encode(dataset, null, null, null));
    }

    [Fact]
    public void Nulls_before_a_value_are_written_as_tags()
    {
        var dataset = TestDatasets.With("""{ "name": "a", "type": "int32" }""", """{ "name": "b", "type": "boolean" }""");
        Assert.EndsWith("000101", Encode(dataset, null, true), StringComparison.Ordinal);
    }

    [Fact]
    public void Appending_a_nullable_column_leaves_encodings_of_rows_with_null_there_unchanged()
    {
        var before = TestDatasets.With("""{ "name": "a", "type": "int64" }""");
        var after = TestDatasets.With("""{ "name": "a", "type": "int64" }""", """{ "name": "added", "type": "string" }""", """{ "name": "more", "type": "timestamp" }""");
        Assert.NotEqual(before.SchemaHash, after.SchemaHash);

        object?[] oldRow = ["k1", "330106", 42L];
        object?[] newRow = ["k1", "330106", 42L, null, null];
        var oldEncoding = Convert.ToHexStringLower(_encoder.EncodeRow(before, oldRow));
        var newEncoding = Convert.ToHexStringLower(_encoder.EncodeRow(after, newRow));

        Assert.Equal(oldEncoding, newEncoding);
        Assert.Equal(RowDigest.ChecksumTerm(Convert.FromHexString(oldEncoding)), RowDigest.ChecksumTerm(_encoder.EncodeRow(after, newRow)));
    }

    [Fact]
    public void Strings_are_compared_by_bytes_without_normalisation()
    {
        var dataset = TestDatasets.OneColumn("string");
        Assert.NotEqual(Encode(dataset, "\u00e9"), Encode(dataset, "e\u0301"));
    }

    [Fact]
    public void Dates_and_timestamps_count_from_the_unix_epoch()
    {
        var dates = TestDatasets.OneColumn("date");
        var timestamps = TestDatasets.OneColumn("timestamp");
        Assert.EndsWith("0100000000", Encode(dates, new DateOnly(1970, 1, 1)), StringComparison.Ordinal);
        Assert.EndsWith("01feffffff", Encode(dates, new DateOnly(1969, 12, 30)), StringComparison.Ordinal);
        Assert.EndsWith("010100000000000000", Encode(timestamps, DateTime.UnixEpoch.AddTicks(10)), StringComparison.Ordinal);
        Assert.EndsWith("01c0bdf0ffffffffff", Encode(timestamps, DateTime.UnixEpoch.AddSeconds(-1)), StringComparison.Ordinal);
    }

    [Fact]
    public void Key_encoding_follows_key_order_not_column_order()
    {
        var dataset = GoldenVectors.Dataset; // key is (seq, id) although id comes first
        object?[] row = ["A", "330106", 7, null, null, null, null, null, null, null, null];
        Assert.Equal("0107000000" + "010100000041", Convert.ToHexStringLower(_encoder.EncodeKey(dataset, row)));
    }

    [Fact]
    public void The_encoder_reuses_its_buffer_across_rows_of_different_sizes()
    {
        var dataset = TestDatasets.OneColumn("binary");
        var large = Encode(dataset, new byte[10_000]);
        var small = Encode(dataset, new byte[] { 1 });
        Assert.Equal(Encode(dataset, new byte[10_000]), large);
        Assert.Equal("0101000000610106000000333330313036" + "010100000001", small);
    }

    private string Encode(Backflow.Protocol.Catalog.DatasetDefinition dataset, params object?[] extra)
    {
        object?[] row = ["a", "330106", .. extra];
        return Convert.ToHexStringLower(_encoder.EncodeRow(dataset, row));
    }
}
