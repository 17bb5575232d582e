using Parquet;
using Parquet.Schema;
using static Backflow.Server.Tests.Publishing.Input.TestDatasets;

namespace Backflow.Server.Tests.Publishing.Input;

public sealed class ParquetInputTests
{
    private static readonly DateTime Updated = new DateTime(2025, 3, 31, 8, 30, 0, DateTimeKind.Utc).AddTicks(1234560);

    private static Field[] AllTypesFields(DecimalDataField? capital = null, DateTimeDataField? updated = null) =>
    [
        new DataField<long>("id"),
        new DataField<string>("region_code"),
        new DataField<string>("name", true),
        new DataField<int?>("staff"),
        capital ?? new DecimalDataField("registered_capital", 18, 2, isNullable: true),
        new DataField<double?>("score"),
        new DataField<bool>("active"),
        new DataField<DateOnly?>("founded"),
        updated ?? new DateTimeDataField("updated_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        new DataField<byte[]>("photo", true),
    ];

    private static async Task<byte[]> WriteAllTypesAsync(ParquetSchema schema, params DateTime?[] updated)
    {
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(schema, file))
        {
            // Two row groups: row numbers must continue across them.
            for (var group = 0; group < 2; group++)
            {
                using var rowGroup = writer.CreateRowGroup();
                var f = schema.DataFields;
                await rowGroup.WriteAsync<long>(f[0], new long[] { 1 + (group * 10), 2 + (group * 10) });
                await rowGroup.WriteAsync(f[1], new[] { "330106", "000000" });
                await rowGroup.WriteAsync(f[2], new[] { "杭州某公司", null! });
                await rowGroup.WriteAsync<int>(f[3], new int?[] { -12, null });
                await rowGroup.WriteAsync<decimal>(f[4], new decimal?[] { -12345.67m, null });
                await rowGroup.WriteAsync<double>(f[5], new double?[] { double.NaN, null });
                await rowGroup.WriteAsync<bool>(f[6], new[] { true, false });
                await rowGroup.WriteAsync<DateOnly>(f[7], new DateOnly?[] { new DateOnly(1949, 10, 1), null });
                await rowGroup.WriteAsync<DateTime>(f[8], updated.Length > 0 ? updated : new DateTime?[] { Updated, null });
                await rowGroup.WriteAsync(f[9], new[] { new byte[] { 1, 2, 3 }, null! });
            }
        }

        return file.ToArray();
    }

    [Fact]
    public async Task A_parquet_file_round_trips_every_type()
    {
        var bytes = await WriteAllTypesAsync(new ParquetSchema(AllTypesFields()));

        await using var input = await OpenAsync(bytes);
        var (upserts, _, problems) = await ReadAllAsync(input);

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal(Backflow.Server.Publishing.Input.ChangesetFormat.Parquet, input.Format);
        Assert.Equal([1L, 2L, 3L, 4L], upserts.Select(r => r.RowNumber));
        var full = upserts[0].Values;
        Assert.Equal(1L, full[0]);
        Assert.Equal("330106", full[1]);
        Assert.Equal("杭州某公司", full[2]);
        Assert.Equal(-12, full[3]);
        Assert.Equal(-12345.67m, full[4]);
        Assert.Equal(double.NaN, full[5]);
        Assert.Equal(true, full[6]);
        Assert.Equal(new DateOnly(1949, 10, 1), full[7]);
        Assert.Equal(Updated, full[8]);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)full[8]!).Kind);
        Assert.Equal(new byte[] { 1, 2, 3 }, full[9]);
        Assert.Equal(new object?[] { 2L, "000000", null, null, null, null, false, null, null, null }, upserts[1].Values);
        Assert.Equal(11L, upserts[2].Values[0]);
    }

    [Fact]
    public async Task Nulls_in_a_later_row_group_never_show_values_of_an_earlier_one()
    {
        // The reader reuses its column arrays across row groups: a later, smaller group of nulls must read as nulls.
        var schema = new ParquetSchema(AllTypesFields());
        var f = schema.DataFields;
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(schema, file))
        {
            using (var full = writer.CreateRowGroup())
            {
                await full.WriteAsync<long>(f[0], new long[] { 1, 2, 3 });
                await full.WriteAsync(f[1], new[] { "330106", "330106", "330106" });
                await full.WriteAsync(f[2], new[] { "a", "b", "c" });
                await full.WriteAsync<int>(f[3], new int?[] { 1, 2, 3 });
                await full.WriteAsync<decimal>(f[4], new decimal?[] { 1.5m, 2.5m, 3.5m });
                await full.WriteAsync<double>(f[5], new double?[] { 1, 2, 3 });
                await full.WriteAsync<bool>(f[6], new[] { true, true, true });
                await full.WriteAsync<DateOnly>(f[7], new DateOnly?[] { new(2020, 1, 1), new(2020, 1, 2), new(2020, 1, 3) });
                await full.WriteAsync<DateTime>(f[8], new DateTime?[] { Updated, Updated, Updated });
                await full.WriteAsync(f[9], new[] { new byte[] { 1 }, new byte[] { 2 }, new byte[] { 3 } });
            }

            using var empty = writer.CreateRowGroup();
            await empty.WriteAsync<long>(f[0], new long[] { 4, 5 });
            await empty.WriteAsync(f[1], new[] { "330106", "330106" });
            await empty.WriteAsync(f[2], new string[] { null!, null! });
            await empty.WriteAsync<int>(f[3], new int?[] { null, null });
            await empty.WriteAsync<decimal>(f[4], new decimal?[] { null, null });
            await empty.WriteAsync<double>(f[5], new double?[] { null, null });
            await empty.WriteAsync<bool>(f[6], new[] { false, false });
            await empty.WriteAsync<DateOnly>(f[7], new DateOnly?[] { null, null });
            await empty.WriteAsync<DateTime>(f[8], new DateTime?[] { null, null });
            await empty.WriteAsync(f[9], new byte[][] { null!, null! });
        }

        await using var input = await OpenAsync(file.ToArray());
        var (upserts, _, problems) = await ReadAllAsync(input);

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal(5, upserts.Count);
        Assert.Equal(new object?[] { 3L, "330106", "c", 3, 3.5m, 3.0, true, new DateOnly(2020, 1, 3), Updated, new byte[] { 3 } }, upserts[2].Values);
        Assert.Equal(new object?[] { 4L, "330106", null, null, null, null, false, null, null, null }, upserts[3].Values);
        Assert.Equal(new object?[] { 5L, "330106", null, null, null, null, false, null, null, null }, upserts[4].Values);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Text_with_nulls_between_repeated_values_keeps_every_row_in_place(bool dictionaryEncoded)
    {
        // Text is read packed (non-null values only) and spread back to its rows; a repeated value becomes one string.
        // Producers such as pyarrow and Spark dictionary-encode text by default, which reaches the reader differently.
        string?[] names = [null, "杭州某公司", null, null, "余杭合作社", "杭州某公司", null, "杭州某公司"];
        var schema = new ParquetSchema(AllTypesFields());
        var f = schema.DataFields;
        var options = new ParquetOptions();
        options.ColumnEncodingHints[f[2].Path.ToString()] = dictionaryEncoded ? EncodingHint.Dictionary : EncodingHint.Default;
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(schema, file, options))
        {
            using var group = writer.CreateRowGroup();
            var n = names.Length;
            await group.WriteAsync<long>(f[0], Enumerable.Range(1, n).Select(i => (long)i).ToArray());
            await group.WriteAsync(f[1], Enumerable.Repeat("330106", n).ToArray());
            await group.WriteAsync(f[2], names!);
            await group.WriteAsync<int>(f[3], new int?[n]);
            await group.WriteAsync<decimal>(f[4], new decimal?[n]);
            await group.WriteAsync<double>(f[5], new double?[n]);
            await group.WriteAsync<bool>(f[6], new bool[n]);
            await group.WriteAsync<DateOnly>(f[7], new DateOnly?[n]);
            await group.WriteAsync<DateTime>(f[8], new DateTime?[n]);
            await group.WriteAsync(f[9], new byte[n][]);
        }

        await using var input = await OpenAsync(file.ToArray());
        var (upserts, _, problems) = await ReadAllAsync(input);

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal(names, upserts.Select(r => (string?)r.Values[2]));
        Assert.Same(upserts[1].Values[2], upserts[5].Values[2]);
        Assert.Same(upserts[1].Values[2], upserts[7].Values[2]);
        Assert.Same(upserts[0].Values[1], upserts[7].Values[1]);
    }

    [Fact]
    public async Task Parquet_columns_may_come_in_any_order_and_a_narrower_decimal_is_fine()
    {
        var fields = AllTypesFields(capital: new DecimalDataField("registered_capital", 10, 2, isNullable: true)).Reverse().ToArray();
        using var file = new MemoryStream();
        var schema = new ParquetSchema(fields);
        await using (var writer = await ParquetWriter.CreateAsync(schema, file))
        {
            using var rowGroup = writer.CreateRowGroup();
            foreach (var field in schema.DataFields)
            {
                await WriteOneAsync(rowGroup, field);
            }
        }

        await using var input = await OpenAsync(file.ToArray());
        var (upserts, _, problems) = await ReadAllAsync(input);

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal(5L, Assert.Single(upserts).Values[0]);
        Assert.Equal(1.5m, upserts[0].Values[4]);
    }

    [Fact]
    public async Task A_parquet_file_with_a_different_schema_names_every_mismatch()
    {
        var fields = AllTypesFields(capital: new DecimalDataField("registered_capital", 18, 4, isNullable: true))
            .Where(f => f.Name != "photo")
            .Select(f => f.Name == "staff" ? new DataField<string>("staff", true) : f)
            .Append(new DataField<string>("colour", true))
            .ToArray();
        using var file = new MemoryStream();
        var schema = new ParquetSchema(fields);
        await using (var writer = await ParquetWriter.CreateAsync(schema, file))
        {
            using var rowGroup = writer.CreateRowGroup();
            foreach (var field in schema.DataFields)
            {
                await WriteOneAsync(rowGroup, field);
            }
        }

        await using var input = await OpenAsync(file.ToArray());
        var (upserts, _, problems) = await ReadAllAsync(input);

        Assert.Empty(upserts);
        Assert.Equal(
            [
                "header, column staff: the file holds string but the catalog declares int32; write this column as int32",
                "header, column registered_capital: the file holds decimal(18,4) but the catalog declares decimal(18,2); write it with scale 2 and precision at most 18",
                "header, column colour: not a column of dataset all-types; remove it or rename it to one of: id, region_code, name, staff, registered_capital, score, active, founded, updated_at, photo",
                "header, column photo: missing from the file; dataset all-types declares this column as binary",
            ],
            problems.Items.Select(p => p.ToString()));
    }

    [Fact]
    public async Task A_parquet_timestamp_finer_than_a_microsecond_is_reported()
    {
        var nanos = new DateTimeDataField("updated_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Nanos, isNullable: true);
        var bytes = await WriteAllTypesAsync(new ParquetSchema(AllTypesFields(updated: nanos)), Updated.AddTicks(1), null);

        await using var input = await OpenAsync(bytes);
        var (upserts, _, problems) = await ReadAllAsync(input);

        Assert.True(problems.TotalCount == 2, problems.ToString());
        Assert.StartsWith("row 1, column updated_at, value \"2025-03-31T08:30:00.1234561Z\": timestamps carry at most microsecond precision", problems.Items[0].ToString(), StringComparison.Ordinal);
        Assert.Equal(2, upserts.Count);
    }

    [Fact]
    public async Task A_non_seekable_parquet_upload_is_spooled_and_read()
    {
        var bytes = await WriteAllTypesAsync(new ParquetSchema(AllTypesFields()));

        await using var input = await Backflow.Server.Publishing.Input.ChangesetInput.OpenAsync(AllTypes, new ForwardOnlyStream(bytes), null, null);
        var (upserts, _, problems) = await ReadAllAsync(input);

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal(4, upserts.Count);
    }

    [Fact]
    public async Task A_parquet_file_on_disk_is_read()
    {
        var bytes = await WriteAllTypesAsync(new ParquetSchema(AllTypesFields()));
        var path = Path.GetTempFileName();
        await File.WriteAllBytesAsync(path, bytes);
        await using var stream = File.OpenRead(path);

        await using var input = await Backflow.Server.Publishing.Input.ChangesetInput.OpenAsync(AllTypes, stream, null, null);
        var (upserts, _, problems) = await ReadAllAsync(input);

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal(4, upserts.Count);
    }

    [Fact]
    public async Task A_truncated_parquet_file_is_reported()
    {
        var bytes = await WriteAllTypesAsync(new ParquetSchema(AllTypesFields()));

        await using var input = await OpenAsync(bytes[..(bytes.Length / 2)]);
        var (_, _, problems) = await ReadAllAsync(input);

        Assert.StartsWith("file: the file starts like Parquet but cannot be read as Parquet", Single(problems), StringComparison.Ordinal);
    }

    private static async Task WriteOneAsync(ParquetRowGroupWriter rowGroup, DataField field)
    {
        switch (field.Name)
        {
            case "id": await rowGroup.WriteAsync<long>(field, new long[] { 5 }); break;
            case "region_code": await rowGroup.WriteAsync(field, new[] { "330106" }); break;
            case "name" or "colour": await rowGroup.WriteAsync(field, new[] { "x" }); break;
            case "staff" when field is DataField<string>: await rowGroup.WriteAsync(field, new[] { "7" }); break;
            case "staff": await rowGroup.WriteAsync<int>(field, new int?[] { 7 }); break;
            case "registered_capital": await rowGroup.WriteAsync<decimal>(field, new decimal?[] { 1.5m }); break;
            case "score": await rowGroup.WriteAsync<double>(field, new double?[] { 1 }); break;
            case "active": await rowGroup.WriteAsync<bool>(field, new[] { true }); break;
            case "founded": await rowGroup.WriteAsync<DateOnly>(field, new DateOnly?[] { null }); break;
            case "updated_at": await rowGroup.WriteAsync<DateTime>(field, new DateTime?[] { null }); break;
            case "photo": await rowGroup.WriteAsync(field, new byte[][] { null! }); break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field.Name, "no test value");
        }
    }
}
