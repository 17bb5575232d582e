using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;

namespace Backflow.Server.Publishing.Input;

/// <summary>
/// Finds primary keys that occur twice in one changeset, within the changes file or across changes and deletes.
/// </summary>
/// <remarks>
/// <para>Each key is kept as a 64-bit fingerprint of its canonical encoding in an open-addressing table, next to
/// the row it came from (for the message): 12 bytes a key, so 5 million keys take about 100 MB where a dictionary
/// of hashes took over 400 MB while it grew. The table grows by doubling and never shrinks; it lives only as long
/// as one publish.</para>
/// <para>Two different keys share a fingerprint with probability about n²/2⁶⁵ (7 in 10 million for 5 million
/// keys). The fingerprint is seeded at random per publish, so such a false "duplicate key" can never repeat: the
/// same changeset published again is accepted. A real duplicate is always found.</para>
/// <para>While every key is greater than the one before it (an export sorted by its key, the usual kind), no key can
/// have come before: the keys are only listed, one after another (<see cref="_run"/>), with no probe into the table.
/// Each probe of a table far larger than the processor's caches is a cache miss; on a million-row publish the table
/// took 0.4 s of the reading thread. The first key that is not greater moves the list into the table, and from then
/// on every key is looked up there.</para>
/// </remarks>
internal sealed class KeyTracker(DatasetDefinition dataset)
{
    private const uint DeletesFlag = 1u << 31;

    /// <summary>Stored for a row number too large to keep (the message then omits the earlier row); far beyond any file.</summary>
    private const uint UnknownRow = DeletesFlag - 1;

    /// <summary>The most keys <see cref="Reserve"/> sizes for (16 Mi slots, 192 MB): a file's own row count is not
    /// trusted with more, and a larger changeset still grows the table as it goes.</summary>
    private const long MaxReserved = 8_000_000;

    private readonly long _seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));

    // A slot is empty while its Row is 0: row numbers start at 1. Fingerprint and row share a slot so that a probe
    // touches one cache line, not one in each of two arrays (keys arrive in no order the table can use). Empty (and
    // unused) while the keys come in order.
    private Slot[] _slots = [];

    // The keys so far, in the order they came, while each was greater than the one before; null once they are in the table.
    private Slot[]? _run = new Slot[1 << 16];
    private byte[] _last = new byte[64];
    private int _lastLength = -1;
    private long _reserved;

    public int Count { get; private set; }

    /// <summary>Records a key given as its canonical encoding; returns the earlier occurrence when it was already seen.</summary>
    /// <returns>Null for a new key; otherwise whether the earlier occurrence was in the deletes file and its row number
    /// (0 when the row number was too large to keep).</returns>
    public (bool InDeletes, long Row)? Add(ReadOnlySpan<byte> canonicalKey, bool inDeletes, long row)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(row, 1);
        var fingerprint = XxHash3.HashToUInt64(canonicalKey, _seed);
        var stored = new Slot(fingerprint, (row < UnknownRow ? (uint)row : UnknownRow) | (inDeletes ? DeletesFlag : 0));
        if (_run is not null)
        {
            if (_lastLength < 0 || canonicalKey.SequenceCompareTo(_last.AsSpan(0, _lastLength)) > 0)
            {
                Append(stored, canonicalKey);
                return null;
            }

            MoveRunIntoTable();
        }

        var mask = _slots.Length - 1;
        var slot = (int)fingerprint & mask;
        while (_slots[slot].Row != 0)
        {
            if (_slots[slot].Fingerprint == fingerprint)
            {
                return Earlier(_slots[slot].Row);
            }

            slot = (slot + 1) & mask;
        }

        _slots[slot] = stored;
        if (++Count * 10L > _slots.Length * 7L)
        {
            Resize(_slots.Length * 2);
        }

        return null;
    }

    /// <summary>
    /// Sizes the table for <paramref name="keys"/> keys at once, when the input says how many rows it holds (a Parquet
    /// footer does): doubling step by step leaves every old table on the large object heap, and the last doubling holds
    /// both (144 MB at 5,000,000 keys instead of 96 MB).
    /// </summary>
    public void Reserve(long keys)
    {
        var wanted = Math.Min(keys, MaxReserved);
        _reserved = Math.Max(_reserved, wanted);
        if (_run is not null)
        {
            if (wanted > _run.Length)
            {
                Array.Resize(ref _run, (int)wanted);
            }

            return;
        }

        var slots = _slots.Length;
        while (wanted * 10L > slots * 7L)
        {
            slots *= 2;
        }

        if (slots > _slots.Length)
        {
            Resize(slots);
        }
    }

    /// <summary>The key as a person reads it in a message, e.g. <c>91330106MA2XXXX, 330106</c>.</summary>
    public string Describe(object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return string.Join(", ", dataset.KeyOrdinals.Select(o => Format(dataset.Columns[o].Type, values[o])));
    }

    /// <summary>Lists a key greater than every key before it, and remembers it to compare the next one with.</summary>
    private void Append(Slot stored, ReadOnlySpan<byte> canonicalKey)
    {
        if (Count == _run!.Length)
        {
            Array.Resize(ref _run, _run.Length * 2);
        }

        _run[Count++] = stored;
        if (canonicalKey.Length > _last.Length)
        {
            _last = new byte[Math.Max(canonicalKey.Length, _last.Length * 2)];
        }

        canonicalKey.CopyTo(_last);
        _lastLength = canonicalKey.Length;
    }

    /// <summary>Puts every listed key into a table sized for them (and for what <see cref="Reserve"/> asked), for good.</summary>
    private void MoveRunIntoTable()
    {
        var slots = 1 << 16;
        var wanted = Math.Max(Count + 1L, _reserved);
        while (wanted * 10L > slots * 7L)
        {
            slots *= 2;
        }

        // A list sized up front from the file's row count is mostly empty when an unsorted file turns out so early: let it
        // go before the table is made, instead of holding both.
        var run = Count <= _run!.Length / 2 ? _run[..Count] : _run;
        _run = null;
        _slots = new Slot[slots];
        var mask = slots - 1;
        for (var i = 0; i < Count; i++)
        {
            Place(_slots, mask, run[i]);
        }
    }

    private static void Place(Slot[] table, int mask, Slot kept)
    {
        var slot = (int)kept.Fingerprint & mask;
        while (table[slot].Row != 0)
        {
            slot = (slot + 1) & mask;
        }

        table[slot] = kept;
    }

    private static (bool InDeletes, long Row) Earlier(uint stored)
    {
        var row = stored & ~DeletesFlag;
        return ((stored & DeletesFlag) != 0, row == UnknownRow ? 0 : row);
    }

    /// <summary>Moves every key into a table of <paramref name="slots"/> (a power of two; the table is kept at most
    /// 70 % full, so probe runs stay short).</summary>
    private void Resize(int slots)
    {
        var resized = new Slot[slots];
        var mask = resized.Length - 1;
        foreach (var kept in _slots)
        {
            if (kept.Row != 0)
            {
                Place(resized, mask, kept);
            }
        }

        _slots = resized;
    }

    /// <summary>One key: 12 bytes (packed, not padded to 16), so the table stays the size it was as two arrays. Plain
    /// fields, not a record's properties: a profile caught the property getter called, not inlined, once per probe.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private readonly struct Slot(ulong fingerprint, uint row)
    {
        public readonly ulong Fingerprint = fingerprint;
        public readonly uint Row = row;
    }

    private static string Format(LogicalType type, object? value) => value switch
    {
        null => "null",
        string s => s,
        decimal d => RowValues.FormatDecimal(d, type.Scale),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        byte[] b => Convert.ToBase64String(b),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
