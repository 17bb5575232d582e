using System.Text.RegularExpressions;

namespace Backflow.Server.Audit;

/// <summary>
/// The detail text of a <see cref="AuditKinds.SasIssued"/> record: which extract file the URL reads and until when. One
/// place writes and reads it, so that the dashboard keeps understanding what <c>DirectDownloadLinks</c> records.
/// </summary>
internal static partial class SasIssuedDetail
{
    public static string Format(string fileName, string expiresAt) => $"read-only SAS URL for {fileName}, valid until {expiresAt}";

    /// <summary>The file and expiry of a detail written by <see cref="Format"/>; false for any other text (shown as it is).</summary>
    public static bool TryParse(string? detail, out string fileName, out string expiresAt)
    {
        var match = detail is null ? Match.Empty : Pattern().Match(detail);
        (fileName, expiresAt) = match.Success ? (match.Groups[1].Value, match.Groups[2].Value) : ("", "");
        return match.Success;
    }

    [GeneratedRegex(@"^read-only SAS URL for (.+), valid until (\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
