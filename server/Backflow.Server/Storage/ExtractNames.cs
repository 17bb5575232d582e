using System.Globalization;

namespace Backflow.Server.Storage;

/// <summary>
/// Object names of extracts: <c>{dataset}/{region}/{sequence:D12}-{publishId}-{attempt}.parquet</c>. The suffix,
/// unique per publish attempt, means a file left behind by a publish that crashed before its commit can never be
/// mistaken for, or block, the file of a later publish (even a retry of the same id) that takes the same sequence.
/// </summary>
internal static class ExtractNames
{
    public static string For(string dataset, string region, long sequence, string uniqueSuffix) =>
        string.Create(CultureInfo.InvariantCulture, $"{dataset}/{region}/{sequence:D12}-{uniqueSuffix}.parquet");

    /// <summary>The file name part, which is what the manifest carries (agents save downloads under it).</summary>
    public static string FileNameOf(string name) => name[(name.LastIndexOf('/') + 1)..];
}
