namespace Backflow.Server.Publishing;

/// <summary>
/// Keeps <c>region_rows</c> (which rows live in which region, see <c>007-region-rows.sql</c>) for one dataset inside a
/// write transaction. New entries are collected and inserted sorted by region and row id, up to <see cref="Batch"/> at
/// a time: keys arrive in key order, so inserting each as it came touched one page per region in use, far more pages
/// than the cache holds once a dataset spans hundreds of counties.
/// </summary>
/// <remarks><see cref="Flush"/> must run before the transaction commits and before anything reads the table.</remarks>
internal sealed class RegionRows : IDisposable
{
    /// <summary>Entries collected before a sorted insert: 16 bytes each plus the region string (shared with the rows),
    /// so at most a few MB; large enough that a publish over 3,000 counties touches each county's page rarely.</summary>
    public const int Batch = 262_144;

    private readonly BatchedInsert _insert;
    private readonly RawStatement _delete;
    private readonly List<Entry> _pending = [];

    // Whether _pending is already in insert order: a publish into one region appends its rows in order, and sorting
    // 262,144 entries with a string comparison each time took about 0.1 s per batch, the last batch after all routing.
    private bool _sorted = true;

    public RegionRows(Func<string, RawStatement> prepare)
    {
        _insert = new BatchedInsert(prepare, "region_rows", "dataset, region, data_id", 2);
        _delete = prepare("DELETE FROM region_rows WHERE dataset = ?1 AND region = ?2 AND data_id = ?3");
    }

    public void Add(string region, long dataId)
    {
        var entry = new Entry(region, dataId);
        if (_sorted && _pending.Count > 0 && Compare(_pending[^1], entry) > 0)
        {
            _sorted = false;
        }

        _pending.Add(entry);
        if (_pending.Count >= Batch)
        {
            Flush();
        }
    }

    public void Remove(string region, long dataId)
    {
        if (!TryDelete(region, dataId))
        {
            // Not in the table yet: still collected. Insert what was collected, then it is there to delete.
            Flush();
            if (!TryDelete(region, dataId))
            {
                throw new InvalidOperationException($"region_rows has no entry for row {dataId} in region {region}; the key index is inconsistent");
            }
        }
    }

    /// <summary>Inserts every collected entry, sorted by region and row id.</summary>
    public void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        if (!_sorted)
        {
            _pending.Sort(Compare);
        }

        _insert.Insert(_pending, static (statement, first, entry) =>
        {
            statement.Bind(first, entry.Region);
            statement.Bind(first + 1, entry.DataId);
        });

        _pending.Clear();
        _sorted = true;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _delete.Dispose();
    }

    private bool TryDelete(string region, long dataId)
    {
        _delete.Bind(2, region);
        _delete.Bind(3, dataId);
        _delete.Execute();
        return _delete.Changes == 1;
    }

    private static int Compare(Entry a, Entry b) =>
        string.CompareOrdinal(a.Region, b.Region) is var byRegion and not 0 ? byRegion : a.DataId.CompareTo(b.DataId);

    private readonly record struct Entry(string Region, long DataId);
}
