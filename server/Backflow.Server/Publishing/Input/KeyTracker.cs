using System.Globalization;
using System.IO.Hashing;
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

    // Slot i is empty while _rows[i] == 0: row numbers start at 1.
    private ulong[] _fingerprints = new ulong[1 << 16];
    private uint[] _rows = new uint[1 << 16];

    public int Count { get; private set; }

    /// <summary>Records a key given as its canonical encoding; returns the earlier occurrence when it was already seen.</summary>
    /// <returns>Null for a new key; otherwise whether the earlier occurrence was in the deletes file and its row number
    /// (0 when the row number was too large to keep).</returns>
    public (bool InDeletes, long Row)? Add(ReadOnlySpan<byte> canonicalKey, bool inDeletes, long row)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(row, 1);
        var fingerprint = XxHash3.HashToUInt64(canonicalKey, _seed);
        var mask = _fingerprints.Length - 1;
        var slot = (int)fingerprint & mask;
        while (_rows[slot] != 0)
        {
            if (_fingerprints[slot] == fingerprint)
            {
                return Earlier(_rows[slot]);
            }

            slot = (slot + 1) & mask;
        }

        _fingerprints[slot] = fingerprint;
        _rows[slot] = (row < UnknownRow ? (uint)row : UnknownRow) | (inDeletes ? DeletesFlag : 0);
        if (++Count * 10L > _fingerprints.Length * 7L)
        {
            Resize(_fingerprints.Length * 2);
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
        var slots = _fingerprints.Length;
        while (wanted * 10L > slots * 7L)
        {
            slots *= 2;
        }

        if (slots > _fingerprints.Length)
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

    private static (bool InDeletes, long Row) Earlier(uint stored)
    {
        var row = stored & ~DeletesFlag;
        return ((stored & DeletesFlag) != 0, row == UnknownRow ? 0 : row);
    }

    /// <summary>Moves every key into a table of <paramref name="slots"/> (a power of two; the table is kept at most
    /// 70 % full, so probe runs stay short).</summary>
    private void Resize(int slots)
    {
        var fingerprints = new ulong[slots];
        var rows = new uint[fingerprints.Length];
        var mask = fingerprints.Length - 1;
        for (var i = 0; i < _fingerprints.Length; i++)
        {
            if (_rows[i] == 0)
            {
                continue;
            }

            var slot = (int)_fingerprints[i] & mask;
            while (rows[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            fingerprints[slot] = _fingerprints[i];
            rows[slot] = _rows[i];
        }

        _fingerprints = fingerprints;
        _rows = rows;
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
