using System.Diagnostics.CodeAnalysis;

namespace Backflow.Protocol.Regions;

/// <summary>
/// A six-digit GB/T 2260 administrative division code. <c>xx0000</c> is a province, <c>xxxx00</c> a
/// prefecture, anything else a county-level unit, and <c>000000</c> marks dataset-wide rows.
/// </summary>
public readonly record struct RegionCode : IComparable<RegionCode>
{
    /// <summary>The code of dataset-wide reference rows, received by every grantee of a dataset.</summary>
    public static readonly RegionCode Nationwide = new("000000");

    private RegionCode(string value) => Value = value;

    /// <summary>The six digits.</summary>
    public string Value { get; }

    /// <summary>The level the code denotes.</summary>
    public RegionLevel Level => Value switch
    {
        "000000" => RegionLevel.Nationwide,
        _ when Value.EndsWith("0000", StringComparison.Ordinal) => RegionLevel.Province,
        _ when Value.EndsWith("00", StringComparison.Ordinal) => RegionLevel.Prefecture,
        _ => RegionLevel.County,
    };

    /// <summary>The two-digit province prefix, e.g. <c>33</c> for 330106.</summary>
    public string ProvincePrefix => Value[..2];

    /// <summary>The code of the prefecture this code lies in (itself for a prefecture), e.g. 330100 for 330106.</summary>
    public RegionCode Prefecture => Level switch
    {
        RegionLevel.County => new(Value[..4] + "00"),
        _ => this,
    };

    /// <summary>Parses a code, throwing <see cref="FormatException"/> with the reason when it is malformed.</summary>
    public static RegionCode Parse(string? text) =>
        TryParse(text, out var code, out var error) ? code : throw new FormatException(error);

    /// <summary>Parses a code without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out RegionCode code) => TryParse(text, out code, out _);

    /// <summary>Parses a code; on failure <paramref name="error"/> says why in words a person can act on.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out RegionCode code, [NotNullWhen(false)] out string? error)
    {
        code = default;
        // Spans, not LINQ or substrings: this runs for every row of a publish and of an agent's apply.
        if (text is null || text.Length != 6 || text.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            error = $"'{text}' is not a region code; a GB/T 2260 code is exactly six digits, e.g. 330106";
            return false;
        }

        if (text.StartsWith("00", StringComparison.Ordinal) && text != "000000")
        {
            error = $"'{text}' is not a region code; the first two digits name a province and cannot be 00 (000000 alone marks dataset-wide rows)";
            return false;
        }

        if (text != "000000" && !IsProvince(text[0], text[1]))
        {
            error = $"'{text}' is not a region code; its first two digits ({text[..2]}) name no province of GB/T 2260 (11 北京 … 65 新疆, 71 台湾, 81 香港, 82 澳门)";
            return false;
        }

        if (text.AsSpan(2, 2).SequenceEqual("00") && !text.AsSpan(4).SequenceEqual("00"))
        {
            error = $"'{text}' is not a region code; a county code needs a prefecture (digits 3-4 cannot be 00 when digits 5-6 are not)";
            return false;
        }

        code = new RegionCode(text);
        error = null;
        return true;
    }

    /// <summary>The province prefixes of GB/T 2260 (unchanged since 重庆 became 50 in 1997): a placeholder such as 999999
    /// must not become a feed of its own.</summary>
    private static bool IsProvince(char tens, char units) => (tens, units) switch
    {
        ('1', >= '1' and <= '5') => true,
        ('2', >= '1' and <= '3') => true,
        ('3', >= '1' and <= '7') => true,
        ('4', >= '1' and <= '6') => true,
        ('5', >= '0' and <= '4') => true,
        ('6', >= '1' and <= '5') => true,
        ('7', '1') or ('8', '1') or ('8', '2') => true,
        _ => false,
    };

    /// <summary>
    /// True when this code, used as a scope entry, covers <paramref name="other"/>: a province covers its
    /// prefectures and counties, a prefecture its counties, a county only itself. <c>000000</c> as a scope covers
    /// every code; and every scope covers <c>000000</c> rows, since those are dataset-wide.
    /// </summary>
    public bool Covers(RegionCode other) => Level switch
    {
        _ when other.Level == RegionLevel.Nationwide => true,
        RegionLevel.Nationwide => true,
        RegionLevel.Province => other.Value.StartsWith(Value[..2], StringComparison.Ordinal),
        RegionLevel.Prefecture => other.Value.StartsWith(Value[..4], StringComparison.Ordinal),
        _ => other.Value == Value,
    };

    /// <inheritdoc />
    public int CompareTo(RegionCode other) => string.CompareOrdinal(Value, other.Value);

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
