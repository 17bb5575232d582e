using Backflow.Protocol.Extracts;
using static Backflow.Protocol.Tests.Extracts.TestDatasets;

namespace Backflow.Protocol.Tests.Extracts;

/// <summary>
/// <see cref="ExtractRowGroup"/>: rows collected as columns, one at a time or from another group, come back from the file
/// as they went in and in the same order; a written group is empty and ready for the next rows.
/// </summary>
public sealed class ExtractRowGroupTests
{
    [Fact]
    public async Task Rows_added_one_by_one_and_from_another_group_are_written_in_order_and_the_group_is_emptied()
    {
        var first = Enumerable.Range(0, 40).Select(i => Upsert(i)).ToList();
        var second = Enumerable.Range(40, 25).Select(i => Upsert(i)).Append(Delete(3)).ToList();
        var stream = new MemoryStream();
        await using (var writer = await ExtractWriter.CreateAsync(stream, EveryType, HeaderFor(EveryType)))
        {
            var group = writer.NewRowGroup();
            var other = writer.NewRowGroup();
            first.ForEach(group.Add);
            second.ForEach(other.Add);
            group.AddRange(other);
            Assert.Equal((66, 65L, 1L), (group.Count, group.Upserts, group.Deletes));
            Assert.Equal(second[^1].Values, group[65].Values);
            Assert.Equal(26, other.Count);

            await writer.WriteRowGroupAsync(group);
            Assert.Equal(0, group.Count);

            // Used again after the write: the columns keep their size and hold only the new rows.
            group.Add(Upsert(100));
            await writer.WriteRowGroupAsync(group);
            Assert.Equal(new ExtractWriteSummary(66, 1, 2), writer.Summary);
        }

        stream.Position = 0;
        var read = await ReadAllAsync(stream, EveryType);
        var expected = first.Concat(second).Append(Upsert(100)).ToList();
        Assert.Equal(expected.Count, read.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r].Op, read[r].Op);
            Assert.Equal(expected[r].Values, read[r].Values);
        }
    }

    [Fact]
    public async Task A_bad_row_is_refused_and_leaves_the_group_as_it_was()
    {
        await using var writer = await ExtractWriter.CreateAsync(new MemoryStream(), EveryType, HeaderFor(EveryType));
        var group = writer.NewRowGroup();
        group.Add(Upsert(1));
        object?[] bad = [.. MinimalUpsert(2)];
        bad[2] = null; // name is not nullable

        var e = Assert.Throws<ArgumentException>(() => group.Add(new ExtractRow(ChangeOp.Upsert, bad)));

        Assert.Contains("row 1 of a row group", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, group.Count);
        Assert.Equal(Upsert(1).Values, group[0].Values);
    }

    [Fact]
    public async Task A_group_is_written_and_joined_only_by_groups_of_its_own_writer()
    {
        await using var writer = await ExtractWriter.CreateAsync(new MemoryStream(), EveryType, HeaderFor(EveryType));
        await using var another = await ExtractWriter.CreateAsync(new MemoryStream(), EveryType, HeaderFor(EveryType));
        var foreign = another.NewRowGroup();
        foreign.Add(Upsert(1));

        await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteRowGroupAsync(foreign));
        Assert.Throws<ArgumentException>(() => writer.NewRowGroup().AddRange(foreign));
    }

    private static ExtractRow Upsert(long id)
    {
        object?[] values = [.. MinimalUpsert(id)];
        values[3] = $"备注 {id}";
        values[8] = id * 1.25m;
        return new ExtractRow(ChangeOp.Upsert, values);
    }

    private static ExtractRow Delete(long id)
    {
        var values = new object?[EveryType.Columns.Count];
        values[0] = id;
        values[1] = Region;
        return new ExtractRow(ChangeOp.Delete, values);
    }
}
