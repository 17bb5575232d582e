using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;

namespace Backflow.Server.Publishing.Input;

/// <summary>
/// Finds primary keys that occur twice in one changeset, within the changes file or across changes and deletes.
/// </summary>
/// <remarks>
/// Keys are kept as 128-bit XxHash values of their canonical text, not as strings: a million keys then cost tens of
/// megabytes instead of hundreds, and an accidental collision (about 2^-88 for a million keys) is far below the
/// odds of a hardware fault. The row number is kept so the problem can name both rows.
/// </remarks>
internal sealed class KeyTracker(DatasetDefinition dataset)
{
    private readonly Dictionary<UInt128, (bool InDeletes, long Row)> _seen = [];

    public int Count => _seen.Count;

    /// <summary>Records the row's key; returns the earlier occurrence when the key was already seen.</summary>
    public (bool InDeletes, long Row)? Add(object?[] values, bool inDeletes, long row)
    {
        ArgumentNullException.ThrowIfNull(values);
        var hash = XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(KeyText(values)));
        if (_seen.TryGetValue(hash, out var earlier))
        {
            return earlier;
        }

        _seen.Add(hash, (inDeletes, row));
        return null;
    }

    /// <summary>The key values formatted invariantly, each prefixed with its length so that no separator is ambiguous.</summary>
    public string KeyText(object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var text = new StringBuilder();
        foreach (var ordinal in dataset.KeyOrdinals)
        {
            var part = Format(dataset.Columns[ordinal].Type, values[ordinal]);
            text.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part).Append('\u001F');
        }

        return text.ToString();
    }

    /// <summary>The key as a person reads it in a message, e.g. <c>91330106MA2XXXX, 330106</c>.</summary>
    public string Describe(object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return string.Join(", ", dataset.KeyOrdinals.Select(o => Format(dataset.Columns[o].Type, values[o])));
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
