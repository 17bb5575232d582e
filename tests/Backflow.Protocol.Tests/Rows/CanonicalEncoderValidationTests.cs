using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;

namespace Backflow.Protocol.Tests.Rows;

/// <summary>Values that could make two different rows share an encoding are refused, naming the column.</summary>
public sealed class CanonicalEncoderValidationTests
{
    private readonly CanonicalEncoder _encoder = new();

    public static TheoryData<string, object> WrongTypes => new()
    {
        { "string", 5 },
        { "int32", 5L },
        { "int64", 5 },
        { "decimal(10,2)", 1.5 },
        { "double", 1.5m },
        { "double", 1.5f },
        { "boolean", 1 },
        { "date", new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
        { "timestamp", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) },
        { "timestamp", new DateOnly(2024, 1, 1) },
        { "binary", "00ff" },
        { "binary", new ReadOnlyMemory<byte>([1]) },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void A_value_of_the_wrong_CLR_type_is_refused_naming_the_column(string type, object value)
    {
        var dataset = TestDatasets.OneColumn(type);
        var e = Assert.Throws<ArgumentException>(() => _encoder.EncodeRow(dataset, new object?[] { "a", "330106", value }));
        Assert.Contains("column 'v'", e.Message, StringComparison.Ordinal);
        Assert.Contains(value.GetType().Name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_value_of_the_wrong_CLR_type_is_refused_naming_the_column()
    {
        var e = Assert.Throws<ArgumentException>(() => _encoder.EncodeKey(TestDatasets.OneColumn("int32"), new object?[] { 7, "330106", null }));
        Assert.Contains("column 'id'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_key_value_is_refused_naming_the_column()
    {
        var e = Assert.Throws<ArgumentException>(() => _encoder.EncodeKey(TestDatasets.OneColumn("int32"), new object?[] { null, "330106", 1 }));
        Assert.Contains("'id'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_values_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => _encoder.EncodeRow(TestDatasets.OneColumn("int32"), new object?[] { "a", "330106" }));
        Assert.Contains("2 values", e.Message, StringComparison.Ordinal);
        Assert.Contains("3 columns", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DateTimeKind.Local)]
    [InlineData(DateTimeKind.Unspecified)]
    public void A_timestamp_that_is_not_UTC_is_refused(DateTimeKind kind)
    {
        var value = new DateTime(2024, 1, 1, 0, 0, 0, kind);
        var e = Assert.Throws<ArgumentException>(() => _encoder.EncodeRow(TestDatasets.OneColumn("timestamp"), new object?[] { "a", "330106", value }));
        Assert.Contains("column 'v'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timestamp_finer_than_a_microsecond_is_refused()
    {
        var value = DateTime.UnixEpoch.AddTicks(1);
        var e = Assert.Throws<ArgumentException>(() => _encoder.EncodeRow(TestDatasets.OneColumn("timestamp"), new object?[] { "a", "330106", value }));
        Assert.Contains("microseconds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_with_a_lone_surrogate_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => _encoder.EncodeRow(TestDatasets.OneColumn("string"), new object?[] { "a", "330106", "ab\ud800" }));
        Assert.Contains("column 'v'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_encoder_still_works_after_refusing_a_value()
    {
        DatasetDefinition dataset = TestDatasets.OneColumn("int32");
        Assert.Throws<ArgumentException>(() => _encoder.EncodeRow(dataset, new object?[] { "a", "330106", "x" }));
        Assert.Equal("01010000006101060000003333303130360101000000", Convert.ToHexStringLower(_encoder.EncodeRow(dataset, new object?[] { "a", "330106", 1 })));
    }
}
