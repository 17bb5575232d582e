using Backflow.Protocol.Extracts;
using static Backflow.Protocol.Tests.Extracts.TestDatasets;

namespace Backflow.Protocol.Tests.Extracts;

public sealed class ExtractRoundTripTests
{
    private static readonly DateTime MaxMicros = new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990);

    [Fact]
    public async Task Every_type_round_trips_with_edge_values()
    {
        var chinese = string.Concat(Enumerable.Repeat("中文", 5_000));
        object?[] edge =
        [
            long.MaxValue, Region, chinese, string.Empty, int.MinValue, int.MaxValue, long.MinValue,
            999999999999999999999999.9999m, -9999999999999999.99m, double.NaN, false, true,
            new DateOnly(1, 1, 1), new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990), MaxMicros,
            new byte[] { 0, 0, 1, 0, 255 },
        ];
        object?[] other =
        [
            long.MinValue, Region, string.Empty, null, int.MaxValue, int.MinValue, long.MaxValue,
            -999999999999999999999999.9999m, 9999999999999999.99m, -0.0, true, false,
            new DateOnly(1900, 2, 28), new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(10), new DateTime(2025, 6, 30, 12, 0, 0, DateTimeKind.Utc).AddTicks(1_234_560),
            Array.Empty<byte>(),
        ];
        object?[] infinities =
        [
            0L, Region, "x", "备注", 0, 0, 0L, -0.0001m, 0.01m, double.PositiveInfinity, true, null,
            new DateOnly(9999, 12, 31), DateTime.UnixEpoch, null, null,
        ];
        object?[] negativeInfinity = [.. MinimalUpsert(1)];
        negativeInfinity[9] = double.NegativeInfinity;
        negativeInfinity[8] = -0.01m;
        negativeInfinity[12] = new DateOnly(1969, 12, 31);
        var rows = new[]
        {
            new ExtractRow(ChangeOp.Upsert, edge),
            new ExtractRow(ChangeOp.Upsert, other),
            new ExtractRow(ChangeOp.Upsert, infinities),
            new ExtractRow(ChangeOp.Upsert, negativeInfinity),
            new ExtractRow(ChangeOp.Upsert, MinimalUpsert(2)),
        };

        using var stream = await WriteAsync(EveryType, rows);
        var read = await ReadAllAsync(stream, EveryType);

        Assert.Equal(rows.Length, read.Count);
        for (var r = 0; r < rows.Length; r++)
        {
            AssertSameRow(rows[r], read[r]);
        }
    }

    [Fact]
    public async Task Empty_string_and_null_stay_distinct()
    {
        var values = MinimalUpsert(7);
        values[3] = string.Empty;
        var nullNote = MinimalUpsert(8);
        using var stream = await WriteAsync(EveryType, [new(ChangeOp.Upsert, values), new(ChangeOp.Upsert, nullNote)]);

        var read = await ReadAllAsync(stream, EveryType);

        Assert.Equal(string.Empty, read[0].Values[3]);
        Assert.Null(read[1].Values[3]);
    }

    [Fact]
    public async Task Decimals_round_trip_at_full_precision()
    {
        decimal[] amounts = [999999999999999999999999.9999m, -999999999999999999999999.9999m, 0.0001m, -0.0001m, 12.3400m, 0m];
        var rows = amounts.Select((a, i) =>
        {
            var values = MinimalUpsert(i);
            values[7] = a;
            return new ExtractRow(ChangeOp.Upsert, values);
        }).ToArray();
        using var stream = await WriteAsync(EveryType, rows);

        var read = await ReadAllAsync(stream, EveryType);

        Assert.Equal(amounts, read.Select(r => (decimal)r.Values[7]!));
    }

    [Fact]
    public async Task Timestamps_come_back_as_utc_with_microseconds()
    {
        DateTime[] times =
        [
            new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(10),
            new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990),
            new DateTime(2025, 3, 1, 8, 30, 15, DateTimeKind.Utc).AddTicks(123_456_0),
            MaxMicros,
        ];
        var rows = times.Select((t, i) =>
        {
            var values = MinimalUpsert(i);
            values[13] = t;
            return new ExtractRow(ChangeOp.Upsert, values);
        }).ToArray();
        using var stream = await WriteAsync(EveryType, rows);

        var read = await ReadAllAsync(stream, EveryType);

        Assert.All(read, r => Assert.Equal(DateTimeKind.Utc, ((DateTime)r.Values[13]!).Kind));
        Assert.Equal(times.Select(t => t.Ticks), read.Select(r => ((DateTime)r.Values[13]!).Ticks));
    }

    [Fact]
    public async Task Deletes_carry_only_key_and_region()
    {
        var delete = new object?[EveryType.Columns.Count];
        delete[0] = 42L;
        delete[1] = Region;
        using var stream = await WriteAsync(EveryType, [new(ChangeOp.Upsert, MinimalUpsert(41)), new(ChangeOp.Delete, delete)]);

        var read = await ReadAllAsync(stream, EveryType);

        Assert.Equal([ChangeOp.Upsert, ChangeOp.Delete], read.Select(r => r.Op));
        Assert.Equal(42L, read[1].Values[0]);
        Assert.Equal(Region, read[1].Values[1]);
        Assert.All(read[1].Values.Skip(2), Assert.Null);
    }

    [Fact]
    public async Task Several_row_groups_are_read_in_order()
    {
        var rows = Enumerable.Range(0, 25).Select(i => new ExtractRow(ChangeOp.Upsert, MinimalUpsert(i))).ToAsyncEnumerable();
        using var stream = new MemoryStream();
        ExtractWriteSummary summary;
        await using (var writer = await ExtractWriter.CreateAsync(stream, EveryType, HeaderFor(EveryType)))
        {
            summary = await writer.WriteAllAsync(rows, rowGroupSize: 10);
        }

        stream.Position = 0;
        await using var reader = await ExtractReader.OpenAsync(stream, EveryType);

        Assert.Equal(new ExtractWriteSummary(25, 0, 3), summary);
        Assert.Equal(3, reader.RowGroupCount);
        Assert.Equal(25, reader.RowCount);
        Assert.Equal(5, (await reader.ReadRowGroupAsync(2)).Count);
        var ids = new List<long>();
        await foreach (var row in reader.ReadAllAsync())
        {
            ids.Add((long)row.Values[0]!);
        }

        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), ids);
    }

    [Fact]
    public async Task An_extract_without_rows_has_no_row_groups()
    {
        using var stream = await WriteAsync(EveryType, []);

        await using var reader = await ExtractReader.OpenAsync(stream, EveryType);

        Assert.Equal(0, reader.RowGroupCount);
        Assert.Empty(await ToListAsync(reader.ReadAllAsync()));
    }

    [Fact]
    public async Task Writer_and_reader_leave_the_callers_stream_open()
    {
        using var stream = await WriteAsync(EveryType, [new(ChangeOp.Upsert, MinimalUpsert(1))]);
        Assert.True(stream.CanRead);

        await (await ExtractReader.OpenAsync(stream, EveryType)).DisposeAsync();

        Assert.True(stream.CanSeek);
    }

    private static void AssertSameRow(ExtractRow expected, ExtractRow actual)
    {
        Assert.Equal(expected.Op, actual.Op);
        Assert.Equal(expected.Values.Length, actual.Values.Length);
        for (var c = 0; c < expected.Values.Length; c++)
        {
            var want = expected.Values[c];
            var have = actual.Values[c];
            if (want is null)
            {
                Assert.Null(have);
                continue;
            }

            Assert.NotNull(have);
            Assert.Equal(want.GetType(), have.GetType());
            switch (want)
            {
                case double d:
                    // Equal(double) treats -0.0 as 0.0; compare the bits so that the sign survives too.
                    Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)have));
                    break;
                case DateTime t:
                    Assert.Equal(t.Ticks, ((DateTime)have).Ticks);
                    Assert.Equal(DateTimeKind.Utc, ((DateTime)have).Kind);
                    break;
                default:
                    Assert.Equal(want, have);
                    break;
            }
        }
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
