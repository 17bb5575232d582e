using System.Buffers;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Server.Publishing;

namespace Backflow.Server.Tests.Publishing;

/// <summary>
/// A spilled row must come back exactly as it went in: the spill holds rows that are written to an extract later, and
/// its encoding is a copy of the in-memory values, not the canonical encoding that would check them on the way back.
/// </summary>
public sealed class SpillRowCodecTests
{
    private static readonly DatasetDefinition Dataset = CatalogReader.Parse(
        """
        { "id": "spill-codec", "title": "t", "provider": "p", "shareType": "unconditional", "updateCycle": "daily",
          "regionColumn": "region", "primaryKey": ["id"], "columns": [
            { "name": "id", "type": "string", "nullable": false },
            { "name": "region", "type": "string", "nullable": false },
            { "name": "seq", "type": "int32" },
            { "name": "count", "type": "int64" },
            { "name": "amount", "type": "decimal(18,4)" },
            { "name": "ratio", "type": "double" },
            { "name": "active", "type": "boolean" },
            { "name": "born", "type": "date" },
            { "name": "updated", "type": "timestamp" },
            { "name": "payload", "type": "binary" },
            { "name": "note", "type": "string" } ] }
        """,
        "test");

    private static readonly object?[][] Values =
    [
        new object?[] { "企业-1", "110101", 7, 9_000_000_000L, 12.5000m, 0.25, true, new DateOnly(1999, 12, 31), new DateTime(2026, 11, 27, 8, 30, 1, 123, DateTimeKind.Utc).AddTicks(4560), new byte[] { 0, 255, 7 }, "备注 with 😀" },
        new object?[] { "k", "110101", int.MinValue, long.MaxValue, -99_999_999_999_999.9999m, double.NaN, false, DateOnly.MinValue, DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc), Array.Empty<byte>(), string.Empty },
        new object?[] { "only key and region", "110101", null, null, null, null, null, null, null, null, null },
        new object?[] { "x", "110101", 0, 0L, 0m, -0.0, null, DateOnly.MaxValue, DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), null, "\0" },
    ];

    public static TheoryData<int> Rows => new(Enumerable.Range(0, Values.Length));

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_row_comes_back_with_the_same_values_types_and_change(int row)
    {
        var values = Values[row];
        foreach (var op in new[] { ChangeOp.Upsert, ChangeOp.Delete })
        {
            var buffer = new ArrayBufferWriter<byte>();
            SpillRowCodec.Write(Dataset, new ExtractRow(op, values), buffer);
            var offset = 0;
            var back = new object?[values.Length];

            var backOp = SpillRowCodec.Read(Dataset, buffer.WrittenSpan, ref offset, back);

            Assert.Equal(op, backOp);
            Assert.Equal(buffer.WrittenCount, offset);
            for (var c = 0; c < values.Length; c++)
            {
                Assert.Equal(values[c]?.GetType(), back[c]?.GetType());
                Assert.Equal(values[c], back[c]);
            }

            // Equal is not enough for these two: a decimal's scale and a timestamp's kind are part of the value written.
            Assert.Equal(values[4] is decimal d ? decimal.GetBits(d) : null, back[4] is decimal e ? decimal.GetBits(e) : null);
            Assert.Equal((values[8] as DateTime?)?.Kind, (back[8] as DateTime?)?.Kind);
        }
    }

    [Fact]
    public void Rows_written_one_after_another_are_read_back_in_order()
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var row in Values)
        {
            SpillRowCodec.Write(Dataset, new ExtractRow(ChangeOp.Upsert, row), buffer);
        }

        var offset = 0;
        foreach (var row in Values)
        {
            var back = new object?[row.Length];
            SpillRowCodec.Read(Dataset, buffer.WrittenSpan, ref offset, back);
            Assert.Equal(row[0], back[0]);
        }

        Assert.Equal(buffer.WrittenCount, offset);
    }

    [Theory]
    [InlineData(DateTimeKind.Unspecified)]
    [InlineData(DateTimeKind.Local)]
    public void A_timestamp_keeps_its_kind_so_that_the_extract_rules_still_refuse_one_that_is_not_utc(DateTimeKind kind)
    {
        var values = (object?[])Values[0].Clone();
        values[8] = new DateTime(2026, 11, 27, 8, 30, 0, kind);
        var buffer = new ArrayBufferWriter<byte>();
        SpillRowCodec.Write(Dataset, new ExtractRow(ChangeOp.Upsert, values), buffer);
        var offset = 0;
        var back = new object?[values.Length];

        SpillRowCodec.Read(Dataset, buffer.WrittenSpan, ref offset, back);

        Assert.Equal(kind, ((DateTime)back[8]!).Kind);
        Assert.Equal(values[8], back[8]);
    }

    [Fact]
    public void A_presence_byte_that_is_neither_0_nor_1_is_refused_with_its_column()
    {
        var buffer = new ArrayBufferWriter<byte>();
        SpillRowCodec.Write(Dataset, new ExtractRow(ChangeOp.Upsert, Values[2]), buffer);
        var bytes = buffer.WrittenSpan.ToArray();
        // The change byte, then "id" and "region" (presence, length, UTF-16 text), then the presence byte of "seq".
        var seq = 1 + (1 + 4 + (2 * ((string)Values[2][0]!).Length)) + (1 + 4 + (2 * ((string)Values[2][1]!).Length));
        Assert.Equal(0, bytes[seq]);
        bytes[seq] = 7;
        var offset = 0;

        var error = Assert.Throws<InvalidDataException>(() => SpillRowCodec.Read(Dataset, bytes, ref offset, new object?[Dataset.Columns.Count]));

        Assert.Contains("'seq'", error.Message, StringComparison.Ordinal);
        Assert.Contains("07", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cut_row_is_refused_with_where_it_ends()
    {
        var buffer = new ArrayBufferWriter<byte>();
        SpillRowCodec.Write(Dataset, new ExtractRow(ChangeOp.Upsert, Values[0]), buffer);
        var cut = buffer.WrittenSpan[..^3].ToArray();
        var offset = 0;

        var error = Assert.Throws<InvalidDataException>(() => SpillRowCodec.Read(Dataset, cut, ref offset, new object?[Dataset.Columns.Count]));

        Assert.Contains("spilled row", error.Message, StringComparison.Ordinal);
    }
}
