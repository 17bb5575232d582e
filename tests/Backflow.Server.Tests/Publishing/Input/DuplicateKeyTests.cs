using static Backflow.Server.Tests.Publishing.Input.TestDatasets;

namespace Backflow.Server.Tests.Publishing.Input;

public sealed class DuplicateKeyTests
{
    [Fact]
    public async Task Two_changes_rows_with_the_same_key_are_reported_with_both_row_numbers()
    {
        var (upserts, _, problems) = await ReadCsvAsync($"{AllTypesHeader}\n1,330106,a,,,,1,,,\n2,330106,b,,,,1,,,\n1,330106,c,,,,1,,,\n");

        Assert.Equal(2, upserts.Count);
        Assert.Equal("row 3, column id, region_code: duplicate key (1, 330106), already at row 1; a key may appear once per changeset", Single(problems));
    }

    [Fact]
    public async Task The_same_id_in_another_region_is_another_key()
    {
        var (upserts, _, problems) = await ReadCsvAsync($"{AllTypesHeader}\n1,330106,a,,,,1,,,\n1,330108,b,,,,1,,,\n");

        Assert.False(problems.HasProblems, problems.ToString());
        Assert.Equal(2, upserts.Count);
    }

    [Fact]
    public async Task A_key_both_changed_and_deleted_is_reported_with_both_row_numbers()
    {
        var (_, deletes, problems) = await ReadCsvAsync($"{AllTypesHeader}\n1,330106,a,,,,1,,,\n2,330106,b,,,,1,,,\n", "id,region_code\n3,330106\n2,330106\n");

        Assert.Single(deletes);
        Assert.Equal(
            "deletes file, row 2, column id, region_code: key (2, 330106) is both upserted (row 2 of the changes file) and deleted here; a key may appear once per changeset",
            Single(problems));
    }

    [Fact]
    public async Task A_key_deleted_twice_is_reported()
    {
        var (_, _, problems) = await ReadCsvAsync($"{AllTypesHeader}\n1,330106,a,,,,1,,,\n", "id,region_code\n3,330106\n3,330106\n");

        Assert.Equal("deletes file, row 2, column id, region_code: duplicate key (3, 330106), already at row 1; a key may appear once per changeset", Single(problems));
    }

    [Fact]
    public async Task A_deletes_file_with_other_columns_than_the_key_is_reported()
    {
        var (_, _, problems) = await ReadCsvAsync($"{AllTypesHeader}\n1,330106,a,,,,1,,,\n", "id,region_code,name\n3,330106,x\n");

        Assert.Equal("deletes file, header, column name: not expected here; this file's columns are id, region_code", Single(problems));
    }

    [Fact]
    public async Task A_malformed_key_in_the_deletes_file_is_reported()
    {
        var (_, _, problems) = await ReadCsvAsync($"{AllTypesHeader}\n1,330106,a,,,,1,,,\n", "id,region_code\nabc,330106\n");

        Assert.StartsWith("deletes file, row 1, column id, value \"abc\": not an int64", Single(problems), StringComparison.Ordinal);
    }
}
