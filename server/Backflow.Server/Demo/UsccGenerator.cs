using System.Globalization;

namespace Backflow.Server.Demo;

/// <summary>
/// Unified social credit codes (统一社会信用代码, GB 32100-2015): registration authority, entity kind, six-digit
/// region, a nine-character organization code (GB 11714, with its own check character) and the GB 32100 check
/// character. County systems validate both checks, so demo data that fails them would be rejected downstream.
/// </summary>
internal static class UsccGenerator
{
    /// <summary>GB 32100's 31 characters: digits and capitals without I, O, S, V and Z.</summary>
    public const string Charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static readonly int[] OrganizationWeights = [3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>The GB 32100 check character of the first 17 characters.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException($"a USCC body has 17 characters, not {first17.Length}", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = Charset.IndexOf(first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"'{first17[i]}' at position {i + 1} is not in the USCC character set {Charset}", nameof(first17));
            }

            sum += value * Weights[i];
        }

        var check = 31 - (sum % 31);
        return Charset[check == 31 ? 0 : check];
    }

    public static bool IsValid(string code) =>
        code.Length == 18 && code.All(c => Charset.Contains(c, StringComparison.Ordinal)) && CheckCharacter(code.AsSpan(0, 17)) == code[17];

    /// <param name="individual">An individual business (个体工商户, kind 92) rather than a company (91).</param>
    public static string Generate(Random random, string region, bool individual)
    {
        var body = random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var first17 = (individual ? "92" : "91") + region + body + OrganizationCheck(body);
        return first17 + CheckCharacter(first17);
    }

    /// <summary>GB 11714 check character over an eight-digit organization code body.</summary>
    private static char OrganizationCheck(string digits)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += (digits[i] - '0') * OrganizationWeights[i];
        }

        var check = 11 - (sum % 11);
        return check switch
        {
            10 => 'X',
            11 => '0',
            _ => (char)('0' + check),
        };
    }
}
