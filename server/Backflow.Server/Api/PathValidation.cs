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

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    [GeneratedRegex("^(?=.{1,64}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex DatasetPattern();
}
