using System.Buffers;
using System.Runtime.CompilerServices;
using Backflow.Protocol.Extracts;
using Xunit.Abstractions;
using static Backflow.Protocol.Tests.Extracts.TestDatasets;

namespace Backflow.Protocol.Tests.Extracts;

public sealed class ExtractStreamingTests(ITestOutputHelper output)
{
    private const int RowCount = 1_000_000;

    /// <summary>
    /// Ceiling for the live managed heap while a million-row extract is written or read. One row group of
    /// <see cref="TestDatasets.EveryType"/> (50,000 rows of boxed values plus the typed column arrays) is a few
    /// tens of megabytes; the whole file held as rows would be well over half a gigabyte.
    /// </summary>
    private const long HeapCeilingBytes = 150L * 1024 * 1024;

    private static readonly DateTime Start = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// A publish keeps one writer open per region until it commits, thousands over a national dataset: the rows a
    /// writer has written must not stay reachable through its column buffers (they did, and a 1,000,000-row publish
    /// over 3,100 counties ended holding every row again: 782 MB).
    /// </summary>
    [Fact]
    public async Task Rows_written_through_a_writer_that_stays_open_can_be_collected()
    {
        await using var file = new MemoryStream();
        await using var writer = await ExtractWriter.CreateAsync(file, EveryType, HeaderFor(EveryType));
        var name = WriteRows(writer);

        // Parquet.Net hands its text columns over in arrays rented from the shared pool and returns them uncleared, so
        // the pool's cached array (this thread's, for up to 16 values) still points at the rows. That cache is bounded
        // and shared by every writer; it is cleared here so that only what the writer itself holds is measured.
        var pooled = ArrayPool<ReadOnlyMemory<char>>.Shared.Rent(3);
        Array.Clear(pooled);
        ArrayPool<ReadOnlyMemory<char>>.Shared.Return(pooled);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(name.IsAlive, "a written row's string is still reachable from the open writer");
    }

    // Not inlined, so that no local of the test method keeps the row alive. The watched name sits between the first and
    // the last, because the writer rightly keeps each column's smallest and largest value for the footer's statistics.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WriteRows(ExtractWriter writer)
    {
        ExtractRow[] rows = [new(ChangeOp.Upsert, MinimalUpsert(1)), new(ChangeOp.Upsert, MinimalUpsert(2)), new(ChangeOp.Upsert, MinimalUpsert(3))];
        rows[0].Values[2] = "名称0";
        rows[1].Values[2] = string.Concat("名称5-", Random.Shared.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        rows[2].Values[2] = "名称9";
        writer.WriteRowGroupAsync(rows).GetAwaiter().GetResult();
        return new WeakReference(rows[1].Values[2]);
    }

    [Fact]
    public async Task A_million_row_extract_streams_through_a_file_with_bounded_memory()
    {
        var path = Path.Combine(Path.GetTempPath(), $"backflow-extract-{Guid.NewGuid():N}.parquet");
        try
        {
            long peakWhileWriting = 0;
            ExtractWriteSummary summary;
            await using (var file = File.Create(path))
            await using (var writer = await ExtractWriter.CreateAsync(file, EveryType, HeaderFor(EveryType, sequence: 7, kind: ExtractHeader.Snapshot)))
            {
                summary = await writer.WriteAllAsync(Rows(heap => peakWhileWriting = Math.Max(peakWhileWriting, heap)));
            }

            long peakWhileReading = 0;
            long rows = 0, deletes = 0, idSum = 0, nullNotes = 0;
            decimal amountSum = 0m;
            long microsSum = 0;
            await using (var input = File.OpenRead(path))
            await using (var reader = await ExtractReader.OpenAsync(input, EveryType))
            {
                Assert.Equal(7, reader.Header.Sequence);
                Assert.Equal(RowCount / ExtractWriter.DefaultRowGroupSize, reader.RowGroupCount);
                await foreach (var row in reader.ReadAllAsync())
                {
                    var id = (long)row.Values[0]!;
                    Assert.Equal(rows, id);
                    idSum += id;
                    if (row.Op == ChangeOp.Delete)
                    {
                        deletes++;
                    }
                    else
                    {
                        amountSum += (decimal)row.Values[7]!;
                        microsSum += (((DateTime)row.Values[13]!) - Start).Ticks / 10;
                        nullNotes += row.Values[3] is null ? 1 : 0;
                        Assert.Equal(Name(id), row.Values[2]);
                    }

                    if (++rows % 100_000 == 0)
                    {
                        peakWhileReading = Math.Max(peakWhileReading, GC.GetTotalMemory(forceFullCollection: true));
                    }
                }
            }

            output.WriteLine($"peak live heap: {peakWhileWriting / 1024 / 1024} MB writing, {peakWhileReading / 1024 / 1024} MB reading; file {new FileInfo(path).Length / 1024 / 1024} MB");
            var expected = Expected();
            Assert.Equal(RowCount, rows);
            Assert.Equal(new ExtractWriteSummary(RowCount - expected.Deletes, expected.Deletes, RowCount / ExtractWriter.DefaultRowGroupSize), summary);
            Assert.Equal(expected.Deletes, deletes);
            Assert.Equal((long)RowCount * (RowCount - 1) / 2, idSum);
            Assert.Equal(expected.AmountSum, amountSum);
            Assert.Equal(expected.MicrosSum, microsSum);
            Assert.Equal(expected.NullNotes, nullNotes);
            Assert.InRange(peakWhileWriting, 1, HeapCeilingBytes);
            Assert.InRange(peakWhileReading, 1, HeapCeilingBytes);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static bool IsDelete(long id) => id % 10 == 9;

    private static string Name(long id) => $"市场主体{id}";

    private static decimal Amount(long id) => (id * 7919 % 1_000_003) * 0.0001m - 50m;

    private static (long Deletes, decimal AmountSum, long MicrosSum, long NullNotes) Expected()
    {
        long deletes = 0, micros = 0, nullNotes = 0;
        decimal amounts = 0m;
        for (long id = 0; id < RowCount; id++)
        {
            if (IsDelete(id))
            {
                deletes++;
                continue;
            }

            amounts += Amount(id);
            micros += id * 1_000_001;
            nullNotes += id % 3 == 0 ? 1 : 0;
        }

        return (deletes, amounts, micros, nullNotes);
    }

    private static async IAsyncEnumerable<ExtractRow> Rows(Action<long> sampleHeap, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await Task.Yield();
        for (long id = 0; id < RowCount; id++)
        {
            ct.ThrowIfCancellationRequested();
            if (id % 100_000 == 0)
            {
                sampleHeap(GC.GetTotalMemory(forceFullCollection: true));
            }

            if (IsDelete(id))
            {
                var delete = new object?[EveryType.Columns.Count];
                delete[0] = id;
                delete[1] = Region;
                yield return new ExtractRow(ChangeOp.Delete, delete);
                continue;
            }

            yield return new ExtractRow(ChangeOp.Upsert,
            [
                id, Region, Name(id), id % 3 == 0 ? null : "备注", (int)(id % 1000), id % 2 == 0 ? null : (int)id, id * 3,
                Amount(id), id % 5 == 0 ? null : 1.25m, id * 0.5, id % 2 == 0, null,
                DateOnly.FromDayNumber((int)(id % 3_000_000)), Start.AddTicks(id * 1_000_001 * 10), null,
                id % 4 == 0 ? new byte[] { 0, (byte)id } : null,
            ]);
        }
    }
}
