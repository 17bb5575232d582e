using Backflow.Server.Publishing.Input;
using static Backflow.Server.Tests.Publishing.Input.TestDatasets;

namespace Backflow.Server.Tests.Publishing.Input;

public sealed class FormatDetectionTests
{
    [Fact]
    public async Task Binary_garbage_is_neither_csv_nor_parquet()
    {
        var garbage = new byte[5000];
        new Random(42).NextBytes(garbage);
        garbage[10] = 0;

        await using var input = await OpenAsync(garbage);
        var (upserts, _, problems) = await ReadAllAsync(input);

        Assert.Null(input.Format);
        Assert.Empty(upserts);
        Assert.StartsWith("file: the file is neither CSV nor Parquet", Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_without_nul_bytes_is_neither_csv_nor_parquet()
    {
        await using var input = await OpenAsync([0x69, 0x64, 0x0A, 0xC3, 0x28, 0xFF, 0xFE]);
        var (_, _, problems) = await ReadAllAsync(input);

        Assert.Contains("not valid utf-8 text", Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_seekable_csv_upload_is_read_from_the_start()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes($"{AllTypesHeader}\n1,330106,名,,,,1,,,\n");

        await using var input = await ChangesetInput.OpenAsync(AllTypes, new ForwardOnlyStream(bytes), null, null);
        var (upserts, _, problems) = await ReadAllAsync(input);

        Assert.Equal(ChangesetFormat.Csv, input.Format);
        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal("名", Assert.Single(upserts).Values[2]);
    }
}
