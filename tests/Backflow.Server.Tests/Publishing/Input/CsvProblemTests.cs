using static Backflow.Server.Tests.Publishing.Input.TestDatasets;

namespace Backflow.Server.Tests.Publishing.Input;

public sealed class CsvProblemTests
{
    private static Task<(List<Backflow.Server.Publishing.Input.ChangesetRow> Upserts, List<Backflow.Server.Publishing.Input.ChangesetRow> Deletes, Backflow.Server.Publishing.Input.ProblemList Problems)> ReadRowAsync(string row) =>
        ReadCsvAsync($"{AllTypesHeader}\n{row}\n");

    [Theory]
    [InlineData("x,330106,,,,,1,,,", "row 1, column id, value \"x\": not an int64")]
    [InlineData("1,330106,,12.0,,,1,,,", "row 1, column staff, value \"12.0\": not an int32")]
    [InlineData("1,330106,,3000000000,,,1,,,", "row 1, column staff, value \"3000000000\": out of range for int32")]
    [InlineData("1,330106,,,\"12,5\",,1,,,", "row 1, column registered_capital, value \"12,5\": not a decimal(18,2); write digits with '.' as the decimal point, e.g. 12345.67")]
    [InlineData("1,330106,,,1e3,,1,,,", "row 1, column registered_capital, value \"1e3\": not a decimal(18,2)")]
    [InlineData("1,330106,,,1.234,,1,,,", "row 1, column registered_capital, value \"1.234\": does not fit decimal(18,2): at most 16 digits before and 2 after the point")]
    [InlineData("1,330106,,,12345678901234567,,1,,,", "value \"12345678901234567\": does not fit decimal(18,2)")]
    [InlineData("1,330106,,,,1;5,1,,,", "row 1, column score, value \"1;5\": not a double")]
    [InlineData("1,330106,,,,,yes,,,", "row 1, column active, value \"yes\": not a boolean; write true, false, 1 or 0")]
    [InlineData("1,330106,,,,,1,2025/03/31,,", "row 1, column founded, value \"2025/03/31\": not a date; write yyyy-MM-dd")]
    [InlineData("1,330106,,,,,1,2025-02-30,,", "column founded, value \"2025-02-30\": not a date")]
    [InlineData("1,330106,,,,,1,,31.03.2025 08:30,", "row 1, column updated_at, value \"31.03.2025 08:30\": not a timestamp; write ISO 8601")]
    [InlineData("1,330106,,,,,1,,2025-03-31T08:30:00.1234567Z,", "column updated_at, value \"2025-03-31T08:30:00.1234567Z\": more than microsecond precision")]
    [InlineData("1,330106,,,,,1,,,!!notbase64", "row 1, column photo, value \"!!notbase64\": not binary; write the bytes as standard base64")]
    [InlineData("1,330106,,\"\",,,1,,,", "row 1, column staff, value \"\": not an int32")]
    public async Task A_value_of_the_wrong_type_is_reported_with_row_column_value_and_rule(string row, string expected)
    {
        var (upserts, _, problems) = await ReadRowAsync(row);

        Assert.Empty(upserts);
        Assert.Contains(expected, Single(problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(",330106,,,,,1,,,", "row 1, column id: null is not allowed in a primary key column")]
    [InlineData("1,330106,,,,,,,,", "row 1, column active: null is not allowed in this column (nullable: false)")]
    public async Task A_null_in_a_non_nullable_or_key_column_is_reported(string row, string expected)
    {
        var (_, _, problems) = await ReadRowAsync(row);

        Assert.Equal(expected + (expected.Contains("primary key", StringComparison.Ordinal) ? "; every row needs a value here" : "; give every row a value"), Single(problems));
    }

    [Theory]
    [InlineData("33010", "exactly six digits")]
    [InlineData("000106", "cannot be 00")]
    public async Task A_malformed_region_code_is_reported_in_the_words_of_RegionCode(string code, string reason)
    {
        var (_, _, problems) = await ReadRowAsync($"1,{code},,,,,1,,,");

        var text = Single(problems);
        Assert.StartsWith($"row 1, column region_code, value \"{code}\": '{code}' is not a region code", text, StringComparison.Ordinal);
        Assert.Contains(reason, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_header_column_is_reported()
    {
        var (_, _, problems) = await ReadCsvAsync(AllTypesHeader + ",colour\n1,330106,,,,,1,,,,red\n");

        Assert.StartsWith("header, column colour: not expected here; dataset all-types expects the columns id, region_code,", Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_header_column_is_reported_with_its_type()
    {
        var (_, _, problems) = await ReadCsvAsync(AllTypesHeader.Replace(",registered_capital", "", StringComparison.Ordinal) + "\n1,330106,,,,1,,,\n");

        Assert.Equal("header, column registered_capital: missing; dataset all-types declares this column as decimal(18,2), add it to the header", Single(problems));
    }

    [Fact]
    public async Task A_duplicate_header_column_is_reported()
    {
        var (_, _, problems) = await ReadCsvAsync(AllTypesHeader + ",name\n1,330106,,,,,1,,,,x\n");

        Assert.Equal("header, column name: duplicate column name; each column appears once in the header", Single(problems));
    }

    [Fact]
    public async Task A_row_with_the_wrong_number_of_fields_is_reported()
    {
        var (upserts, _, problems) = await ReadCsvAsync($"{AllTypesHeader}\n1,330106,,,,,1,,\n2,330106,,,,,1,,,\n");

        Assert.Equal("row 1: has 9 fields but the header has 10; check separators and quoting", Single(problems));
        Assert.Equal(2L, Assert.Single(upserts).Values[0]);
    }

    [Fact]
    public async Task A_stray_quote_in_an_unquoted_field_is_reported()
    {
        var (_, _, problems) = await ReadRowAsync("1,330106,ab\"c,,,,1,,,");

        Assert.Contains("a quote inside an unquoted field", Single(problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    public async Task A_file_without_a_header_is_empty(string csv)
    {
        var (_, _, problems) = await ReadCsvAsync(csv);

        Assert.StartsWith("file: the file is empty", Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_without_rows_and_without_deletes_is_empty()
    {
        var (_, _, problems) = await ReadCsvAsync(AllTypesHeader + "\n");

        Assert.StartsWith("file: the file is empty", Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_without_rows_is_fine_when_there_are_deletes()
    {
        var (upserts, deletes, problems) = await ReadCsvAsync(AllTypesHeader + "\n", "id,region_code\n5,330106\n");

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Empty(upserts);
        var values = Assert.Single(deletes).Values;
        Assert.Equal(5L, values[0]);
        Assert.Equal("330106", values[1]);
        Assert.All(values.Skip(2), Assert.Null);
    }

    [Fact]
    public async Task Only_the_first_hundred_problems_are_kept_but_all_are_counted()
    {
        var rows = string.Concat(Enumerable.Range(1, 250).Select(i => $"{i},330106,,bad,,,1,,,\n"));

        var (upserts, _, problems) = await ReadCsvAsync(AllTypesHeader + "\n" + rows);

        Assert.Empty(upserts);
        Assert.Equal(250, problems.TotalCount);
        Assert.Equal(100, problems.Items.Count);
        Assert.StartsWith("row 100, column staff", problems.Items[^1].ToString(), StringComparison.Ordinal);
        Assert.StartsWith("250 problems (the first 100 are listed)", problems.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_value_is_cut_in_the_message()
    {
        var (_, _, problems) = await ReadRowAsync($"1,330106,,{new string('9', 200)},,,1,,,");

        Assert.Contains($"value \"{new string('9', 60)}…\"", Single(problems), StringComparison.Ordinal);
    }
}
