using Backflow.Protocol.Extracts;
using static Backflow.Protocol.Tests.Extracts.TestDatasets;

namespace Backflow.Protocol.Tests.Extracts;

public sealed class ExtractWriterValidationTests
{
    public static TheoryData<int, object?, string> BadValues => new()
    {
        { 0, 1, "column 'id' (int64): expected a int64 value but got Int32" },
        { 2, null, "column 'name' (string): null is not allowed" },
        { 7, 1.5, "column 'amount' (decimal(28,4)): expected a decimal(28,4) value but got Double" },
        { 7, 0.00001m, "column 'amount' (decimal(28,4)): 0.00001 does not fit decimal(28,4)" },
        { 8, 12345678901234567m, "column 'price_n' (decimal(18,2))" },
        { 13, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Local), "column 'seen' (timestamp): timestamps must be UTC" },
        { 13, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1), "column 'seen' (timestamp): timestamps carry at most microsecond precision" },
        { 12, new DateTime(2025, 1, 1), "column 'born_n' (date): expected a date value but got DateTime" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task Invalid_values_are_rejected_naming_row_and_column(int ordinal, object? value, string rule)
    {
        var bad = MinimalUpsert(3);
        bad[ordinal] = value;
        var rows = new ExtractRow[] { new(ChangeOp.Upsert, MinimalUpsert(1)), new(ChangeOp.Upsert, MinimalUpsert(2)), new(ChangeOp.Upsert, bad) };
        await using var writer = await ExtractWriter.CreateAsync(new MemoryStream(), EveryType, HeaderFor(EveryType));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteRowGroupAsync(rows));

        Assert.Contains("extract row 2 ", e.Message, StringComparison.Ordinal);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row_numbers_count_across_row_groups()
    {
        var bad = MinimalUpsert(99);
        bad[2] = null;
        var rows = Enumerable.Range(0, 7).Select(i => new ExtractRow(ChangeOp.Upsert, MinimalUpsert(i))).Append(new(ChangeOp.Upsert, bad));
        await using var writer = await ExtractWriter.CreateAsync(new MemoryStream(), EveryType, HeaderFor(EveryType));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAllAsync(rows.ToAsyncEnumerable(), rowGroupSize: 3));

        Assert.Contains("extract row 7 ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_with_the_wrong_number_of_values_is_rejected()
    {
        await using var writer = await ExtractWriter.CreateAsync(new MemoryStream(), EveryType, HeaderFor(EveryType));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteRowGroupAsync([new(ChangeOp.Upsert, [1L, Region])]));

        Assert.Contains("extract row 0 ", e.Message, StringComparison.Ordinal);
        Assert.Contains("has 2 values but dataset 'every-type' has 16 columns", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delete_with_a_non_key_value_is_rejected()
    {
        var delete = new object?[EveryType.Columns.Count];
        delete[0] = 1L;
        delete[1] = Region;
        delete[3] = "备注";
        await using var writer = await ExtractWriter.CreateAsync(new MemoryStream(), EveryType, HeaderFor(EveryType));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteRowGroupAsync([new(ChangeOp.Delete, delete)]));

        Assert.Contains("column 'note'", e.Message, StringComparison.Ordinal);
        Assert.Contains("only key and region", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delete_without_its_key_is_rejected()
    {
        var delete = new object?[EveryType.Columns.Count];
        delete[1] = Region;
        await using var writer = await ExtractWriter.CreateAsync(new MemoryStream(), EveryType, HeaderFor(EveryType));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteRowGroupAsync([new(ChangeOp.Delete, delete)]));

        Assert.Contains("column 'id'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_undefined_op_is_rejected()
    {
        await using var writer = await ExtractWriter.CreateAsync(new MemoryStream(), EveryType, HeaderFor(EveryType));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteRowGroupAsync([new((ChangeOp)5, MinimalUpsert(1))]));

        Assert.Contains("op 5", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("other", Region, 1, null, "delta", "dataset 'other'")]
    [InlineData("every-type", "33010", 1, null, "delta", "region '33010'")]
    [InlineData("every-type", Region, 0, null, "delta", "sequence 0")]
    [InlineData("every-type", Region, 1, "abc", "delta", "schema hash abc")]
    [InlineData("every-type", Region, 1, null, "full", "kind 'full'")]
    public async Task A_header_that_does_not_match_the_dataset_is_rejected(string dataset, string region, long sequence, string? hash, string kind, string reason)
    {
        var header = new ExtractHeader(dataset, region, sequence, hash ?? EveryType.SchemaHash, kind);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => ExtractWriter.CreateAsync(new MemoryStream(), EveryType, header));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}
