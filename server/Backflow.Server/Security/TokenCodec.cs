using System.Security.Cryptography;
using System.Text;

namespace Backflow.Server.Security;

/// <summary>
/// Creates bearer tokens and enrollment codes and the only form the server keeps of them: their SHA-256.
/// Tokens carry a readable prefix so that a leaked token is recognisable in logs and scanners.
/// </summary>
internal static class TokenCodec
{
    public const string AgentPrefix = "bfa_";
    public const string PublisherPrefix = "bfp_";
    public const string OperatorPrefix = "bfo_";

    /// <summary>A new 256-bit random token, base64url-encoded after its prefix.</summary>
    public static string NewToken(string prefix) => prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// A one-time enrollment code short enough to read over the phone: 20 characters from an alphabet without
    /// look-alikes (100 bits), grouped by hyphens, e.g. <c>K7QD-M2XW-…</c>.
    /// </summary>
    public static string NewEnrollmentCode()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = new char[20];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return string.Join('-', Enumerable.Range(0, 5).Select(g => new string(chars, g * 4, 4)));
    }

    /// <summary>Normalises an enrollment code as typed by a person (case, spaces, hyphens) before hashing.</summary>
    public static string NormalizeCode(string code) =>
        new string(code.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
