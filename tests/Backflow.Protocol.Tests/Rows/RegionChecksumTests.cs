using Backflow.Protocol.Rows;

namespace Backflow.Protocol.Tests.Rows;

public sealed class RegionChecksumTests
{
    private static readonly ulong[] Terms = GoldenVectors.Rows.Select(r => Convert.ToUInt64(r.Term, 16)).ToArray();

    [Fact]
    public void Adding_then_removing_every_row_returns_to_empty()
    {
        var checksum = Terms.Aggregate(RegionChecksum.Empty, (c, t) => c.Add(t));
        Assert.Equal(Terms.Length, checksum.RowCount);

        checksum = Terms.Reverse().Aggregate(checksum, (c, t) => c.Remove(t));

        Assert.Equal(RegionChecksum.Empty, checksum);
        Assert.Equal(new RegionChecksum(0, 0), checksum);
    }

    [Fact]
    public void The_order_of_rows_does_not_matter()
    {
        var expected = Terms.Aggregate(RegionChecksum.Empty, (c, t) => c.Add(t));
        var random = new Random(20240229);
        for (var i = 0; i < 20; i++)
        {
            var shuffled = Terms.ToArray();
            random.Shuffle(shuffled);
            Assert.Equal(expected, shuffled.Aggregate(RegionChecksum.Empty, (c, t) => c.Add(t)));
        }
    }

    [Fact]
    public void Replacing_a_row_equals_a_checksum_built_with_the_new_row()
    {
        var encoder = new CanonicalEncoder();
        var dataset = GoldenVectors.Dataset;
        var old = GoldenVectors.Row("nulls in the middle").Values;
        var changed = old.ToArray();
        changed[^1] = "changed";
        var oldTerm = RowDigest.ChecksumTerm(encoder.EncodeRow(dataset, old));
        var newTerm = RowDigest.ChecksumTerm(encoder.EncodeRow(dataset, changed));
        var others = Terms.Where(t => t != oldTerm).ToArray();
        var before = others.Aggregate(RegionChecksum.Empty, (c, t) => c.Add(t)).Add(oldTerm);

        var expected = others.Aggregate(RegionChecksum.Empty, (c, t) => c.Add(t)).Add(newTerm);

        Assert.NotEqual(oldTerm, newTerm);
        Assert.Equal(expected, before.Replace(oldTerm, newTerm));
        Assert.Equal(expected, before.Remove(oldTerm).Add(newTerm));
        Assert.Equal(before.RowCount, before.Replace(oldTerm, newTerm).RowCount);
    }

    [Fact]
    public void The_sum_wraps_around_modulo_two_to_the_64()
    {
        var checksum = RegionChecksum.Empty.Add(ulong.MaxValue).Add(2);
        Assert.Equal(new RegionChecksum(2, 1), checksum);
        Assert.Equal(new RegionChecksum(1, ulong.MaxValue), checksum.Remove(2));
        Assert.Equal(new RegionChecksum(1, ulong.MaxValue - 4), RegionChecksum.Empty.Add(5).Remove(5).Add(ulong.MaxValue - 4));
        Assert.Equal(new RegionChecksum(-1, ulong.MaxValue), RegionChecksum.Empty.Remove(1));
    }

    [Fact]
    public void Combining_two_parts_equals_adding_all_rows()
    {
        var all = Terms.Aggregate(RegionChecksum.Empty, (c, t) => c.Add(t));
        var first = Terms.Take(3).Aggregate(RegionChecksum.Empty, (c, t) => c.Add(t));
        var rest = Terms.Skip(3).Aggregate(RegionChecksum.Empty, (c, t) => c.Add(t));
        Assert.Equal(all, first.Combine(rest));
        Assert.Equal(all, rest.Combine(first));
        Assert.Equal(all, all.Combine(RegionChecksum.Empty));
    }

    [Fact]
    public void Sum_hex_is_sixteen_lowercase_digits()
    {
        Assert.Equal("0000000000000000", RegionChecksum.Empty.SumHex);
        Assert.Equal("0123456789abcdef", new RegionChecksum(1, 0x0123456789ABCDEF).SumHex);
        Assert.Equal("ffffffffffffffff", new RegionChecksum(1, ulong.MaxValue).SumHex);
    }

    [Fact]
    public void Parse_reads_what_SumHex_writes()
    {
        var checksum = new RegionChecksum(1000, 0x0123456789ABCDEF);
        Assert.Equal(checksum, RegionChecksum.Parse(1000, checksum.SumHex));
        Assert.Equal(RegionChecksum.Empty, RegionChecksum.Parse(0, "0000000000000000"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("123456789abcdef")]
    [InlineData("00123456789abcdef")]
    [InlineData("0123456789ABCDEF")]
    [InlineData("0x23456789abcdef")]
    [InlineData("0123456789abcdeg")]
    [InlineData(" 123456789abcdef")]
    [InlineData("-123456789abcdef")]
    public void Parse_refuses_anything_but_sixteen_lowercase_hex_digits(string sumHex)
    {
        var e = Assert.Throws<FormatException>(() => RegionChecksum.Parse(1, sumHex));
        Assert.Contains("16 lowercase hexadecimal digits", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_refuses_a_negative_row_count()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RegionChecksum.Parse(-1, "0000000000000000"));
    }

    [Fact]
    public void ToString_shows_count_and_hex_sum()
    {
        Assert.Equal("1000 rows, checksum 0123456789abcdef", new RegionChecksum(1000, 0x0123456789ABCDEF).ToString());
        Assert.Equal("1 row, checksum 00000000000000ff", new RegionChecksum(1, 0xff).ToString());
        Assert.Equal("0 rows, checksum 0000000000000000", RegionChecksum.Empty.ToString());
    }
}
