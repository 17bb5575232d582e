using System.Text;
using Backflow.Server.Publishing.Input;
using static Backflow.Server.Tests.Publishing.Input.TestDatasets;

namespace Backflow.Server.Tests.Publishing.Input;

public sealed class CsvValueParsingTests
{
    [Fact]
    public async Task Every_type_is_parsed_into_its_row_representation()
    {
        var csv = AllTypesHeader + "\n"
            + "9007199254740993,330106,杭州某公司,-12,-12345.67,-1.5e3,TRUE,1949-10-01,2025-03-31T16:30:00.123456+08:00,AQID\n";

        var (upserts, _, problems) = await ReadCsvAsync(csv);

        Assert.False(problems.HasProblems, problems.ToString());
        var values = Assert.Single(upserts).Values;
        Assert.Equal(9007199254740993L, values[0]);
        Assert.Equal("330106", values[1]);
        Assert.Equal("杭州某公司", values[2]);
        Assert.Equal(-12, values[3]);
        Assert.Equal(-12345.67m, values[4]);
        Assert.Equal(-1500d, values[5]);
        Assert.Equal(true, values[6]);
        Assert.Equal(new DateOnly(1949, 10, 1), values[7]);
        var expected = new DateTime(2025, 3, 31, 8, 30, 0, DateTimeKind.Utc).AddTicks(1234560);
        Assert.Equal(expected, values[8]);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)values[8]!).Kind);
        Assert.Equal(new byte[] { 1, 2, 3 }, values[9]);
    }

    [Theory]
    [InlineData("2025-03-31T08:30:00Z", 0)]
    [InlineData("2025-03-31T08:30:00", 0)]
    [InlineData("2025-03-31 08:30:00", 0)]
    [InlineData("2025-03-31T10:30:00+02:00", 0)]
    [InlineData("2025-03-31T03:30:00-0500", 0)]
    [InlineData("2025-03-31T08:30:00.5Z", 5_000_000)]
    [InlineData("2025-03-31T08:30:00.000001Z", 10)]
    public async Task Timestamps_with_or_without_offsets_become_utc(string text, long extraTicks)
    {
        var (upserts, _, problems) = await ReadCsvAsync($"{AllTypesHeader}\n1,330106,,,,,0,,{text},\n");

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal(new DateTime(2025, 3, 31, 8, 30, 0, DateTimeKind.Utc).AddTicks(extraTicks), Assert.Single(upserts).Values[8]);
    }

    [Theory]
    [InlineData("NaN", double.NaN)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    [InlineData("0.1", 0.1)]
    [InlineData("1E-5", 1e-5)]
    public async Task Doubles_accept_exponents_and_the_special_words(string text, double expected)
    {
        var (upserts, _, problems) = await ReadCsvAsync($"{AllTypesHeader}\n1,330106,,,,{text},1,,,\n");

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal(expected, Assert.Single(upserts).Values[5]);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public async Task Booleans_accept_true_false_and_one_zero(string text, bool expected)
    {
        var (upserts, _, problems) = await ReadCsvAsync($"{AllTypesHeader}\n1,330106,,,,,{text},,,\n");

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal(expected, Assert.Single(upserts).Values[6]);
    }

    [Fact]
    public async Task An_empty_unquoted_field_is_null_and_a_quoted_one_is_empty()
    {
        var (upserts, _, problems) = await ReadCsvAsync($"{AllTypesHeader}\n1,330106,,,,,1,,,\n2,330106,\"\",,,,1,,,\n");

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Null(upserts[0].Values[2]);
        Assert.Equal(string.Empty, upserts[1].Values[2]);
    }

    [Fact]
    public async Task A_repeated_text_value_is_one_string_quoted_or_not()
    {
        var csv = $"{AllTypesHeader}\n1,330106,存续,,,,1,,,\n2,330106,\"存续\",,,,1,,,\n3,330106,\"a \"\"q\"\"\",,,,1,,,\n4,330106,\"a \"\"q\"\"\",,,,1,,,\n";

        var (upserts, _, problems) = await ReadCsvAsync(csv);

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal(["存续", "存续", "a \"q\"", "a \"q\""], upserts.Select(r => (string?)r.Values[2]));
        Assert.Same(upserts[0].Values[2], upserts[1].Values[2]);
        Assert.Same(upserts[2].Values[2], upserts[3].Values[2]);
        Assert.Same(upserts[0].Values[1], upserts[3].Values[1]);
    }

    [Fact]
    public async Task Quoted_fields_may_hold_commas_quotes_and_newlines()
    {
        var csv = $"{AllTypesHeader}\r\n1,330106,\"a, \"\"b\"\"\r\nc\",,,,1,,,\r\n2,330106,plain,,,,1,,,\r\n";

        var (upserts, _, problems) = await ReadCsvAsync(csv);

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal("a, \"b\"\r\nc", upserts[0].Values[2]);
        Assert.Equal(2, upserts[1].RowNumber);
    }

    [Fact]
    public async Task Columns_may_come_in_any_order()
    {
        var (upserts, _, problems) = await ReadCsvAsync(
            "photo,updated_at,founded,active,score,registered_capital,staff,name,region_code,id\n,,,1,,,,x,330106,7\n");

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal(7L, Assert.Single(upserts).Values[0]);
        Assert.Equal("x", upserts[0].Values[2]);
    }

    [Fact]
    public async Task A_utf8_byte_order_mark_is_skipped_and_its_absence_is_fine()
    {
        var text = $"{AllTypesHeader}\n1,330106,名称,,,,1,,,\n";
        var withBom = Encoding.UTF8.GetPreamble().Concat(new UTF8Encoding(false).GetBytes(text)).ToArray();

        await using var bom = await OpenAsync(withBom);
        var (bomRows, _, bomProblems) = await ReadAllAsync(bom);
        var (plainRows, _, plainProblems) = await ReadCsvAsync(text);

        Assert.False(bomProblems.HasProblems, bomProblems.ToString());
        Assert.False(plainProblems.HasProblems, plainProblems.ToString());
        Assert.Equal("名称", Assert.Single(bomRows).Values[2]);
        Assert.Equal("名称", Assert.Single(plainRows).Values[2]);
    }

    [Fact]
    public async Task Gb18030_text_is_read_when_declared()
    {
        var gb18030 = ChangesetEncodings.Gb18030;
        var bytes = gb18030.GetBytes($"{AllTypesHeader}\n1,330106,浙江省杭州市西湖区市场监督管理局𠀀,,,,1,,,\n");
        Assert.NotEqual(bytes, Encoding.UTF8.GetBytes($"{AllTypesHeader}\n1,330106,浙江省杭州市西湖区市场监督管理局𠀀,,,,1,,,\n"));

        await using var input = await OpenAsync(bytes, encoding: Encoding.GetEncoding("GB18030"));
        var (upserts, _, problems) = await ReadAllAsync(input);

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal("浙江省杭州市西湖区市场监督管理局𠀀", Assert.Single(upserts).Values[2]);
    }

    [Fact]
    public async Task Gb18030_bytes_read_as_utf8_are_reported_not_garbled()
    {
        var bytes = ChangesetEncodings.Gb18030.GetBytes($"{AllTypesHeader}\n1,330106,杭州,,,,1,,,\n");

        await using var input = await OpenAsync(bytes);
        var (upserts, _, problems) = await ReadAllAsync(input);

        Assert.Empty(upserts);
        Assert.Contains("neither CSV nor Parquet", Single(problems), StringComparison.Ordinal);
        Assert.Contains("--encoding gb18030", Single(problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gbk")]
    [InlineData("GB2312")]
    [InlineData("cp936")]
    [InlineData("gb18030")]
    public void The_names_people_know_for_chinese_encodings_all_mean_gb18030(string name)
    {
        Assert.Equal("GB18030", Backflow.Server.Publishing.PublishEncodings.Parse(name).WebName, StringComparer.OrdinalIgnoreCase);
    }
}
