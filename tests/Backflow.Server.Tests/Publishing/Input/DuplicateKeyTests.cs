using Backflow.Protocol.Rows;
using Backflow.Server.Publishing.Input;
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
    public void Every_key_is_remembered_with_its_row_while_the_table_grows()
    {
        // 300,000 keys make the table double several times from its 65,536 slots.
        var tracker = new KeyTracker(AllTypes);
        var encoder = new CanonicalEncoder();
        const int Keys = 300_000;
        for (var i = 1; i <= Keys; i++)
        {
            Assert.Null(tracker.Add(encoder.EncodeKey(AllTypes, KeyRow(i)), inDeletes: i % 2 == 0, row: i));
        }

        Assert.Equal(Keys, tracker.Count);
        for (var i = 1; i <= Keys; i += 997)
        {
            Assert.Equal((i % 2 == 0, (long)i), tracker.Add(encoder.EncodeKey(AllTypes, KeyRow(i)), inDeletes: false, row: Keys + i));
        }

        Assert.Equal(Keys, tracker.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000)]
    [InlineData(200_000)]
    [InlineData(long.MaxValue)]
    public void A_reservation_keeps_every_key_found_before_and_after_it(long reserved)
    {
        var tracker = new KeyTracker(AllTypes);
        var encoder = new CanonicalEncoder();
        for (var i = 1; i <= 50_000; i++)
        {
            Assert.Null(tracker.Add(encoder.EncodeKey(AllTypes, KeyRow(i)), inDeletes: false, row: i));
        }

        tracker.Reserve(reserved);
        for (var i = 50_001; i <= 120_000; i++)
        {
            Assert.Null(tracker.Add(encoder.EncodeKey(AllTypes, KeyRow(i)), inDeletes: false, row: i));
        }

        for (var i = 1; i <= 120_000; i += 499)
        {
            Assert.Equal((false, (long)i), tracker.Add(encoder.EncodeKey(AllTypes, KeyRow(i)), inDeletes: true, row: 200_000 + i));
        }

        Assert.Equal(120_000, tracker.Count);
    }

    [Fact]
    public void Keys_in_order_then_out_of_order_are_all_kept_and_every_duplicate_is_found_with_its_row()
    {
        // Keys sorted by their encoding are only listed; the first one out of order moves them into the table.
        var tracker = new KeyTracker(AllTypes);
        var encoder = new CanonicalEncoder();
        var keys = Enumerable.Range(1, 5_000).Select(i => encoder.EncodeKey(AllTypes, KeyRow(i)).ToArray()).ToList();
        keys.Sort(static (a, b) => a.AsSpan().SequenceCompareTo(b));
        for (var i = 0; i < keys.Count - 1; i++)
        {
            Assert.Null(tracker.Add(keys[i], inDeletes: false, row: i + 1));
        }

        Assert.Equal((false, 1000L), tracker.Add(keys[999], inDeletes: false, row: 10_000));   // a repeat of an early key
        Assert.Null(tracker.Add(keys[^1], inDeletes: true, row: 10_001));                      // new, after the switch
        Assert.Equal((true, 10_001L), tracker.Add(keys[^1], inDeletes: true, row: 10_002));
        for (var i = 0; i < keys.Count - 1; i += 97)
        {
            Assert.Equal((false, (long)i + 1), tracker.Add(keys[i], inDeletes: false, row: 20_000 + i));
        }

        Assert.Equal(keys.Count, tracker.Count);
    }

    [Fact]
    public void The_same_key_twice_in_a_row_is_found_while_keys_come_in_order()
    {
        var tracker = new KeyTracker(AllTypes);
        var key = new CanonicalEncoder().EncodeKey(AllTypes, KeyRow(7)).ToArray();

        Assert.Null(tracker.Add(key, inDeletes: false, row: 1));
        Assert.Equal((false, 1L), tracker.Add(key, inDeletes: false, row: 2));
    }

    [Fact]
    public void A_row_number_too_large_to_keep_is_reported_as_an_earlier_row()
    {
        var tracker = new KeyTracker(AllTypes);
        var key = new CanonicalEncoder().EncodeKey(AllTypes, KeyRow(7)).ToArray();

        Assert.Null(tracker.Add(key, inDeletes: false, row: 5_000_000_000));
        Assert.Equal((false, 0L), tracker.Add(key, inDeletes: false, row: 5_000_000_001));
    }

    [Fact]
    public async Task A_deletes_file_with_other_columns_than_the_key_is_reported()
    {
        var (_, _, problems) = await ReadCsvAsync($"{AllTypesHeader}\n1,330106,a,,,,1,,,\n", "id,region_code,name\n3,330106,x\n");

        Assert.Equal("deletes file, header, column name: not expected here; dataset all-types expects the columns id, region_code: rename it to one of them or remove it", Single(problems));
    }

    private static object?[] KeyRow(long id)
    {
        var row = new object?[AllTypes.Columns.Count];
        row[AllTypes.OrdinalOf("id")] = id;
        row[AllTypes.OrdinalOf("region_code")] = "330106";
        return row;
    }

    [Fact]
    public async Task A_malformed_key_in_the_deletes_file_is_reported()
    {
        var (_, _, problems) = await ReadCsvAsync($"{AllTypesHeader}\n1,330106,a,,,,1,,,\n", "id,region_code\nabc,330106\n");

        Assert.StartsWith("deletes file, row 1, column id, value \"abc\": not an int64", Single(problems), StringComparison.Ordinal);
    }
}
