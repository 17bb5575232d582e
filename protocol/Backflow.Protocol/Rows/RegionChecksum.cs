using System.Globalization;

namespace Backflow.Protocol.Rows;

/// <summary>
/// The region checksum: how many rows a region holds and the sum, modulo 2^64, of their checksum terms
/// (see <see cref="RowDigest.ChecksumTerm"/> and protocol/CANONICAL.md). Both the server and the agent keep it
/// incrementally and can recompute it from a table at any time; equal values prove equal content.
/// </summary>
/// <remarks>
/// The sum is additive, so the order in which rows are added or removed never matters, and a change set can
/// be applied to a checksum without reading the rest of the region. The algebra allows a negative
/// <see cref="RowCount"/> so that a delta (more rows removed than added) can be expressed and later
/// combined; a checksum of a real table is never negative, and <see cref="Parse"/> refuses one.
/// </remarks>
/// <param name="RowCount">Number of live rows.</param>
/// <param name="Sum">Sum of the rows' checksum terms, modulo 2^64.</param>
public readonly record struct RegionChecksum(long RowCount, ulong Sum)
{
    /// <summary>The checksum of a region without rows: zero rows, sum zero.</summary>
    public static RegionChecksum Empty => default;

    /// <summary>The sum as text: exactly 16 lowercase hexadecimal digits, most significant first.</summary>
    public string SumHex => Sum.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Returns the checksum after adding a row whose checksum term is <paramref name="term"/>.</summary>
    public RegionChecksum Add(ulong term) => new(RowCount + 1, unchecked(Sum + term));

    /// <summary>Returns the checksum after removing a row whose checksum term is <paramref name="term"/>.</summary>
    public RegionChecksum Remove(ulong term) => new(RowCount - 1, unchecked(Sum - term));

    /// <summary>Returns the checksum after replacing a row (term <paramref name="oldTerm"/>) by another
    /// (term <paramref name="newTerm"/>): the row count is unchanged.</summary>
    public RegionChecksum Replace(ulong oldTerm, ulong newTerm) => new(RowCount, unchecked(Sum - oldTerm + newTerm));

    /// <summary>Returns the checksum of the union of two disjoint row sets (or of a checksum and a delta).</summary>
    public RegionChecksum Combine(RegionChecksum other) => new(RowCount + other.RowCount, unchecked(Sum + other.Sum));

    /// <summary>
    /// Reads a checksum from its stored parts, e.g. a manifest's <c>rowCount</c> and <c>checksum</c> fields.
    /// </summary>
    /// <param name="rowCount">The row count; must not be negative.</param>
    /// <param name="sumHex">Exactly 16 lowercase hexadecimal digits, as written by <see cref="SumHex"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowCount"/> is negative.</exception>
    /// <exception cref="FormatException"><paramref name="sumHex"/> is not 16 lowercase hexadecimal digits.</exception>
    public static RegionChecksum Parse(long rowCount, string sumHex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentNullException.ThrowIfNull(sumHex);

        // Only the canonical form is accepted so that the text compares equal exactly when the values do.
        if (sumHex.Length != 16 || !sumHex.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            throw new FormatException($"region checksum '{sumHex}' is not valid; expected exactly 16 lowercase hexadecimal digits, e.g. 00000000000000ff");
        }

        return new RegionChecksum(rowCount, ulong.Parse(sumHex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
    }

    /// <summary>Human form for logs and reports, e.g. <c>1000 rows, checksum 0123abcd4567ef89</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{RowCount} {(RowCount == 1 ? "row" : "rows")}, checksum {SumHex}");
}
