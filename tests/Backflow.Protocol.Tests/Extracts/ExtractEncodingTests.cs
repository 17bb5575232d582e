using Backflow.Protocol.Extracts;
using Parquet;
using Parquet.Meta;
using static Backflow.Protocol.Tests.Extracts.TestDatasets;

namespace Backflow.Protocol.Tests.Extracts;

/// <summary>How text columns are encoded: a dictionary where values repeat, plain where they are mostly distinct.</summary>
public sealed class ExtractEncodingTests
{
    private static readonly string[] Names = ["市场监管局", "税务局", "人社局", "民政局", "公安局"];

    [Fact]
    public async Task Repeating_text_gets_a_dictionary_distinct_text_stays_plain_and_both_read_back_unchanged()
    {
        var rows = Enumerable.Range(0, 3_000).Select(i =>
        {
            var values = MinimalUpsert(i);
            values[2] = Names[i % Names.Length];
            values[3] = i % 7 == 0 ? null : $"备注 {i}";
            return new ExtractRow(ChangeOp.Upsert, values);
        }).ToList();

        using var stream = await WriteAsync(EveryType, rows);
        Assert.Contains(Encoding.PLAIN_DICTIONARY, await EncodingsAsync(stream, "name"));
        Assert.Contains(Encoding.PLAIN_DICTIONARY, await EncodingsAsync(stream, "region"));
        Assert.DoesNotContain(Encoding.PLAIN_DICTIONARY, await EncodingsAsync(stream, "note"));

        stream.Position = 0;
        var read = await ReadAllAsync(stream, EveryType);
        Assert.Equal(rows.Select(r => r.Values[2]), read.Select(r => r.Values[2]));
        Assert.Equal(rows.Select(r => r.Values[3]), read.Select(r => r.Values[3]));
    }

    private static async Task<List<Encoding>> EncodingsAsync(Stream stream, string column)
    {
        stream.Position = 0;
        await using var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true);
        using var group = reader.OpenRowGroupReader(0);
        var field = reader.Schema.DataFields.Single(f => f.Name == column);
        return group.GetMetadata(field)!.MetaData!.Encodings;
    }
}
