using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Parquet;
using Parquet.Schema;
using static Backflow.Protocol.Tests.Extracts.TestDatasets;

namespace Backflow.Protocol.Tests.Extracts;

public sealed class ExtractReaderValidationTests
{
    private static readonly DatasetDefinition Small = CatalogReader.Parse(
        """
        {
          "id": "small", "title": "小", "provider": "测试厅", "shareType": "unconditional", "updateCycle": "daily",
          "regionColumn": "region", "primaryKey": ["id"],
          "columns": [
            { "name": "id", "type": "int32", "nullable": false },
            { "name": "region", "type": "string", "nullable": false },
            { "name": "name", "type": "string", "nullable": false }
          ]
        }
        """,
        "small.json");

    [Fact]
    public async Task Header_round_trips_through_the_file_metadata()
    {
        var header = new ExtractHeader(EveryType.Id, "441900", 9_000_000_000L, EveryType.SchemaHash, ExtractHeader.Snapshot);
        using var stream = await WriteAsync(EveryType, [new(ChangeOp.Upsert, MinimalUpsert(1))], header);

        await using var reader = await ExtractReader.OpenAsync(stream, EveryType);

        Assert.Equal(header, reader.Header);
    }

    [Fact]
    public async Task Header_is_stored_under_the_backflow_metadata_keys()
    {
        using var stream = await WriteAsync(EveryType, [new(ChangeOp.Upsert, MinimalUpsert(1))]);

        await using var parquet = await ParquetReader.CreateAsync(stream);

        Assert.Equal(EveryType.Id, parquet.CustomMetadata["backflow.dataset"]);
        Assert.Equal(Region, parquet.CustomMetadata["backflow.region"]);
        Assert.Equal("1", parquet.CustomMetadata["backflow.sequence"]);
        Assert.Equal(EveryType.SchemaHash, parquet.CustomMetadata["backflow.schemaHash"]);
        Assert.Equal("delta", parquet.CustomMetadata["backflow.kind"]);
    }

    [Fact]
    public async Task A_file_written_for_another_schema_is_rejected_naming_the_difference()
    {
        var values = MinimalUpsert(1);
        using var stream = await WriteAsync(NarrowerAmount, [new(ChangeOp.Upsert, values)]);

        var e = await Assert.ThrowsAsync<ExtractFormatException>(() => ExtractReader.OpenAsync(stream, EveryType));

        Assert.Contains("amount decimal(28,4)", e.Message, StringComparison.Ordinal);
        Assert.Contains("amount decimal(18,2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_with_fewer_columns_is_rejected_naming_the_missing_column()
    {
        using var stream = await WriteAsync(Small, [new(ChangeOp.Upsert, [1, Region, "名"])]);

        var e = await Assert.ThrowsAsync<ExtractFormatException>(() => ExtractReader.OpenAsync(stream, EveryType));

        Assert.Contains("column 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("id int64 required", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_that_are_not_parquet_are_rejected()
    {
        using var text = new MemoryStream("id,region\n1,330106\n这不是 Parquet 文件。这不是 Parquet 文件。"u8.ToArray());
        using var empty = new MemoryStream();

        var e = await Assert.ThrowsAsync<ExtractFormatException>(() => ExtractReader.OpenAsync(text, EveryType));
        await Assert.ThrowsAsync<ExtractFormatException>(() => ExtractReader.OpenAsync(empty, EveryType));

        Assert.Contains("not a Parquet file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parquet_file_without_backflow_metadata_is_rejected()
    {
        using var stream = await RawAsync(Small, [1], [Region], ["名"], [0], metadata: null);

        var e = await Assert.ThrowsAsync<ExtractFormatException>(() => ExtractReader.OpenAsync(stream, Small));

        Assert.Contains("backflow.dataset", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_of_another_dataset_with_the_same_columns_is_rejected()
    {
        var twin = CatalogReader.Parse(
            """
            {
              "id": "small-twin", "title": "小", "provider": "测试厅", "shareType": "unconditional", "updateCycle": "daily",
              "regionColumn": "region", "primaryKey": ["id"],
              "columns": [
                { "name": "id", "type": "int32", "nullable": false },
                { "name": "region", "type": "string", "nullable": false },
                { "name": "name", "type": "string", "nullable": false }
              ]
            }
            """,
            "small-twin.json");
        using var stream = await WriteAsync(twin, [new(ChangeOp.Upsert, [1, Region, "名"])]);

        var e = await Assert.ThrowsAsync<ExtractFormatException>(() => ExtractReader.OpenAsync(stream, Small));

        Assert.Contains("'small-twin', not of 'small'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_op_other_than_upsert_or_delete_is_rejected()
    {
        using var stream = await RawAsync(Small, [1, 2], [Region, Region], ["a", "b"], [0, 2], HeaderFor(Small));
        await using var reader = await ExtractReader.OpenAsync(stream, Small);

        var e = await Assert.ThrowsAsync<ExtractFormatException>(() => reader.ReadRowGroupAsync(0));

        Assert.Contains("row 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("'_op' is 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_null_in_a_non_nullable_column_of_an_upsert_is_rejected()
    {
        using var stream = await RawAsync(Small, [1], [Region], [null], [0], HeaderFor(Small));
        await using var reader = await ExtractReader.OpenAsync(stream, Small);

        var e = await Assert.ThrowsAsync<ExtractFormatException>(() => reader.ReadRowGroupAsync(0));

        Assert.Contains("column 'name'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delete_carrying_more_than_key_and_region_is_rejected()
    {
        using var stream = await RawAsync(Small, [1], [Region], ["名"], [1], HeaderFor(Small));
        await using var reader = await ExtractReader.OpenAsync(stream, Small);

        var e = await Assert.ThrowsAsync<ExtractFormatException>(() => reader.ReadRowGroupAsync(0));

        Assert.Contains("column 'name'", e.Message, StringComparison.Ordinal);
        Assert.Contains("delete", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Writes a file of <see cref="Small"/>'s extract schema directly, bypassing the writer's checks.</summary>
    private static async Task<MemoryStream> RawAsync(DatasetDefinition dataset, int[] ids, string[] regions, string?[] names, int[] ops, ExtractHeader? metadata)
    {
        var fields = ExtractSchema.Fields(dataset);
        var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream))
        {
            if (metadata is not null)
            {
                writer.CustomMetadata = metadata.ToMetadata();
            }

            using var group = writer.CreateRowGroup();
            await group.WriteAsync<int>(fields[0], ids);
            await group.WriteAsync(fields[1], regions);
            await group.WriteAsync(fields[2], names!);
            await group.WriteAsync<int>(fields[3], ops);
        }

        stream.Position = 0;
        return stream;
    }
}
