using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;

namespace Backflow.Agent.Loading;

/// <summary>
/// Feeds an extract's row groups to a database writer with two cores' worth of pipelining: while the writer stores
/// one group, a worker hashes that group's upserted rows (the checksum is a modular sum, so their terms can be added
/// in any order, once) and another reads the next group. Only the caller's thread touches the connection.
/// </summary>
internal static class RowGroupPipeline
{
    /// <summary>Writes every row group in order and returns the sum of the upserted rows' checksum terms.</summary>
    /// <param name="write">Stores one row group (rows, group number); runs on the caller's flow, one group at a time.</param>
    public static async Task<ulong> RunAsync(
        DatasetDefinition dataset, ExtractReader extract, Func<IReadOnlyList<ExtractRow>, int, Task> write, CancellationToken ct)
    {
        ulong added = 0;
        var next = extract.RowGroupCount > 0 ? ReadAfter(extract, 0, ct) : null;
        for (var g = 0; g < extract.RowGroupCount; g++)
        {
            var rows = await next!;
            next = g + 1 < extract.RowGroupCount ? ReadAfter(extract, g + 1, ct) : null;
            var newTerms = Task.Run(() => ApplyChecks.SumUpsertTerms(dataset, rows), ct);
            try
            {
                await write(rows, g);
                added = unchecked(added + await newTerms);
            }
            catch
            {
                // Never leave a worker running past the apply (the caller disposes the reader) or its exception
                // unobserved; the exception that stopped the writes is the one to report.
                await ((Task)newTerms).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (next is not null)
                {
                    await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                throw;
            }
        }

        return added;
    }

    /// <summary>Starts reading a row group on the thread pool, so its decoding overlaps the caller's writes.</summary>
    private static Task<IReadOnlyList<ExtractRow>> ReadAfter(ExtractReader extract, int group, CancellationToken ct) =>
        Task.Run(() => extract.ReadRowGroupAsync(group, ct), ct);
}
