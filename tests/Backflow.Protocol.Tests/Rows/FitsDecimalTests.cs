using Backflow.Protocol.Rows;

namespace Backflow.Protocol.Tests.Rows;

/// <summary>The decimal(p,s) bounds at each edge: integer digits, fractional digits, sign, and the widest precisions.</summary>
public sealed class FitsDecimalTests
{
    [Theory]
    [InlineData("9999999999999999.99", 18, 2, true)]
    [InlineData("10000000000000000", 18, 2, false)]
    [InlineData("-9999999999999999.99", 18, 2, true)]
    [InlineData("-10000000000000000.00", 18, 2, false)]
    [InlineData("0.01", 18, 2, true)]
    [InlineData("0.001", 18, 2, false)]
    [InlineData("0", 1, 0, true)]
    [InlineData("9", 1, 0, true)]
    [InlineData("10", 1, 0, false)]
    [InlineData("0.5", 1, 1, true)]
    [InlineData("1", 1, 1, false)]
    [InlineData("999999999999999999999999999", 27, 0, true)]
    [InlineData("1000000000000000000000000000", 27, 0, false)]
    [InlineData("9999999999999999999999999999", 28, 0, true)]
    [InlineData("10000000000000000000000000000", 28, 0, false)]   // 29 digits: accepted before, PowersOfTen stopped at 10^27
    [InlineData("-79228162514264337593543950335", 28, 0, false)]
    [InlineData("999999999999999999999999999.9", 28, 1, true)]
    [InlineData("1000000000000000000000000000.0", 28, 1, false)]
    [InlineData("79228162514264337593543950335", 38, 0, true)]
    [InlineData("12345678901234567890.1234", 28, 4, true)]
    [InlineData("12345678901234567890.12345", 28, 4, false)]
    [InlineData("0.5", 0, 1, true)]
    [InlineData("1.5", 0, 1, false)]
    [InlineData("3.1400", 18, 2, true)]      // more digits after the point than the column keeps, all zero
    [InlineData("3.1410", 18, 2, false)]
    [InlineData("99.990", 4, 2, true)]
    [InlineData("100.000", 4, 2, false)]
    [InlineData("-0.0000", 1, 0, true)]
    public void A_value_fits_exactly_when_its_digits_do(string text, int precision, int scale, bool fits) =>
        Assert.Equal(fits, RowValues.FitsDecimal(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), precision, scale));
}
