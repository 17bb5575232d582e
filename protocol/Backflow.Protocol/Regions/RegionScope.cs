namespace Backflow.Protocol.Regions;

/// <summary>An agent's region scope: a set of codes with prefix meaning (see <see cref="RegionCode.Covers"/>).</summary>
public sealed class RegionScope
{
    /// <summary>Creates a scope from its entries.</summary>
    public RegionScope(IEnumerable<RegionCode> entries)
    {
        Entries = entries.Distinct().Order().ToArray();
        if (Entries.Count == 0)
        {
            throw new ArgumentException("a region scope needs at least one region code", nameof(entries));
        }
    }

    /// <summary>The scope entries, sorted.</summary>
    public IReadOnlyList<RegionCode> Entries { get; }

    /// <summary>Parses a comma-separated list such as <c>330102,330106</c>.</summary>
    /// <exception cref="FormatException">An entry is malformed or the list is empty.</exception>
    public static RegionScope Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new FormatException("the region list is empty; give one or more six-digit codes separated by commas, e.g. 330102,330106");
        }

        return new RegionScope(parts.Select(RegionCode.Parse));
    }

    /// <summary>True when any entry covers <paramref name="code"/>.</summary>
    public bool Covers(RegionCode code) => Entries.Any(e => e.Covers(code));

    /// <inheritdoc />
    public override string ToString() => string.Join(',', Entries);
}
