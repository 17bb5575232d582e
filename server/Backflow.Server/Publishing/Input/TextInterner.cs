namespace Backflow.Server.Publishing.Input;

/// <summary>
/// Turns the characters of one text column into strings, handing out the same string again for a value seen before,
/// so that a column of codes, statuses or authorities costs one string per distinct value instead of one per row.
/// </summary>
/// <remarks>
/// Most columns of government data repeat a few values; some (names, addresses, registration numbers) hardly ever do.
/// The interner watches its hit rate over the first <see cref="Sample"/> values after each <see cref="Resample"/> (every
/// Parquet row group, every <see cref="CsvTableReader.ResampleEvery"/> CSV rows) and, where fewer than a quarter of them
/// were seen before, makes plain strings until the next one instead of hashing every value for nothing. At most
/// <see cref="Capacity"/> distinct values are kept, so a column that keeps bringing new values cannot grow it without
/// bound.
/// </remarks>
internal sealed class TextInterner
{
    /// <summary>Distinct values kept per column; beyond it new values are not remembered.</summary>
    public const int Capacity = 4_096;

    /// <summary>Values looked up after each <see cref="Resample"/> before deciding whether interning pays.</summary>
    public const int Sample = 1_000;

    /// <summary>Interning stays on when at least this many of the <see cref="Sample"/> values were seen before (a quarter).</summary>
    public const int MinimumHitsPerSample = Sample / 4;

    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _looked;
    private int _hits;

    public TextInterner() => _lookup = _known.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether values are being interned now (for tests and diagnostics).</summary>
    public bool Enabled { get; private set; } = true;

    /// <summary>Measures the hit rate again from the next value on, since one part of a file may repeat where another does not.</summary>
    public void Resample()
    {
        _looked = 0;
        _hits = 0;
        Enabled = true;
    }

    /// <summary>The string of <paramref name="text"/>: one seen before when interning is on and it was, else a new one.</summary>
    public string Get(ReadOnlySpan<char> text)
    {
        if (!Enabled)
        {
            return new string(text);
        }

        if (_lookup.TryGetValue(text, out var known))
        {
            _hits++;
            Observe();
            return known;
        }

        var made = new string(text);
        if (_known.Count < Capacity)
        {
            _known.Add(made);
        }

        Observe();
        return made;
    }

    private void Observe()
    {
        if (++_looked == Sample && _hits < MinimumHitsPerSample)
        {
            Enabled = false;
        }
    }
}
