using System.Globalization;

namespace Backflow.Server.Demo;

/// <summary>
/// Citizen ID numbers (公民身份号码, GB 11643-1999): six-digit region of first registration, birth date, a
/// three-digit sequence whose parity is the gender (odd for men), and an ISO 7064 MOD 11-2 check character.
/// </summary>
internal static class IdNumberGenerator
{
    private const string CheckCharacters = "10X98765432";
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException($"an ID number body has 17 digits, not {first17.Length}", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(first17[i]))
            {
                throw new ArgumentException($"'{first17[i]}' at position {i + 1} is not a digit", nameof(first17));
            }

            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    public static bool IsValid(string number) =>
        number.Length == 18 && number.AsSpan(0, 17).ContainsAnyExceptInRange('0', '9') is false && CheckCharacter(number.AsSpan(0, 17)) == number[17];

    public static string Generate(Random random, string region, DateOnly birth, bool male)
    {
        var sequence = random.Next(0, 500) * 2 + (male ? 1 : 0);
        var first17 = region + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + sequence.ToString("D3", CultureInfo.InvariantCulture);
        return first17 + CheckCharacter(first17);
    }

    /// <summary>The gender the sequence's parity encodes: 男 for odd, 女 for even.</summary>
    public static string GenderOf(string number) => (number[16] - '0') % 2 == 1 ? "男" : "女";
}
