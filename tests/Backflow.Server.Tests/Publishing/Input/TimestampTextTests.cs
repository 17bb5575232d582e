using System.Globalization;
using Backflow.Server.Publishing.Input;

namespace Backflow.Server.Tests.Publishing.Input;

public sealed class TimestampTextTests
{
    [Theory]
    [InlineData("2025-03-31T08:30:00Z", "2025-03-31T08:30:00.0000000Z")]
    [InlineData("2025-03-31T08:30:00z", "2025-03-31T08:30:00.0000000Z")]
    [InlineData("2025-03-31 08:30:00", "2025-03-31T08:30:00.0000000Z")]
    [InlineData("2025-03-31T16:30:00.123456+08:00", "2025-03-31T08:30:00.1234560Z")]
    [InlineData("2025-03-31T16:30:00+0800", "2025-03-31T08:30:00.0000000Z")]
    [InlineData("2025-03-31T01:00:00.5-05:30", "2025-03-31T06:30:00.5000000Z")]
    [InlineData("2025-03-31T08:30:00.000001Z", "2025-03-31T08:30:00.0000010Z")]
    [InlineData("2024-02-29T23:59:59-14:00", "2024-03-01T13:59:59.0000000Z")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000Z")]
    [InlineData("9999-12-31T23:59:59.999999+14:00", "9999-12-31T09:59:59.9999990Z")]
    public void Accepts_iso_8601_and_converts_to_utc(string text, string expected)
    {
        Assert.Null(TimestampText.Parse(text, out var value));
        var parsed = Assert.IsType<DateTime>(value);
        Assert.Equal(DateTimeKind.Utc, parsed.Kind);
        Assert.Equal(expected, parsed.ToString("O", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2025-03-31")]
    [InlineData("2025-03-31T08:30")]
    [InlineData("2025-3-31T08:30:00Z")]
    [InlineData("2025/03/31T08:30:00Z")]
    [InlineData("2025-03-31t08:30:00Z")]
    [InlineData("2025-03-31T08:30:00.")]
    [InlineData("2025-03-31T08:30:00.Z")]
    [InlineData("2025-03-31T08:30:00ZZ")]
    [InlineData("2025-03-31T08:30:00 Z")]
    [InlineData("2025-03-31T08:30:00Z\n")]
    [InlineData(" 2025-03-31T08:30:00Z")]
    [InlineData("2025-03-31T08:30:00+8:00")]
    [InlineData("2025-03-31T08:30:00+08:0")]
    [InlineData("2025-03-31T08:30:00+08")]
    [InlineData("2025-03-31T08:30:00+08-00")]
    [InlineData("２０２５-03-31T08:30:00Z")]
    [InlineData("31.03.2025 08:30")]
    public void Refuses_anything_else_as_not_a_timestamp(string text)
    {
        Assert.StartsWith("not a timestamp; write ISO 8601", TimestampText.Parse(text, out var value), StringComparison.Ordinal);
        Assert.Null(value);
    }

    [Theory]
    [InlineData("2025-03-31T08:30:00.1234567Z", "more than microsecond precision")]
    [InlineData("2025-02-30T00:00:00Z", "not a valid date and time (a field is out of range)")]
    [InlineData("2025-03-31T24:00:00Z", "not a valid date and time (a field is out of range)")]
    [InlineData("0000-01-01T00:00:00Z", "not a valid date and time (a field is out of range)")]
    [InlineData("2025-03-31T08:30:00+15:00", "the UTC offset is out of range")]
    [InlineData("2025-03-31T08:30:00+08:60", "the UTC offset is out of range")]
    [InlineData("0001-01-01T00:00:00+01:00", "out of range once converted to UTC")]
    [InlineData("9999-12-31T23:59:59-01:00", "out of range once converted to UTC")]
    public void Names_the_rule_a_timestamp_shaped_value_breaks(string text, string rule)
    {
        Assert.StartsWith(rule, TimestampText.Parse(text, out var value), StringComparison.Ordinal);
        Assert.Null(value);
    }
}
