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
            Grow();
        }

        return null;
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

    /// <summary>Doubles the table (kept at most 70 % full, so probe runs stay short) and re-inserts every key.</summary>
    private void Grow()
    {
        var fingerprints = new ulong[_fingerprints.Length * 2];
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
