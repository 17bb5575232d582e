using System.Text.RegularExpressions;
using Backflow.Protocol.Regions;

namespace Backflow.Server.Api;

/// <summary>Validates path segments as dataset ids and region codes before anything else looks at them.</summary>
internal static partial class PathValidation
{
    public static string? DatasetError(string dataset) =>
        DatasetPattern().IsMatch(dataset) ? null : $"'{Shorten(dataset)}' is not a dataset id";

    public static string? RegionError(string region, out RegionCode code) =>
        RegionCode.TryParse(region, out code, out var error) ? null : error;

    /// <summary>Sequences start at 1; anything else in that segment (text, a sign, a file name, a number past
    /// <see cref="long.MaxValue"/>) is a bad path, not a missing extract.</summary>
    public static string? SequenceError(string text, out long sequence) =>
        text.Length is > 0 and <= 19 && text.All(char.IsAsciiDigit) && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out sequence) && sequence >= 1
            ? null
            : Fail($"'{Shorten(text)}' is not a sequence number (1 or more)", out sequence);

    private static string Fail(string error, out long sequence)
    {
        sequence = 0;
        return error;
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    [GeneratedRegex("^(?=.{1,64}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex DatasetPattern();
}
