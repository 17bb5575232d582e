using System.Text.RegularExpressions;

namespace Backflow.Server.Storage;

/// <summary>Every problem with the storage settings, each saying which setting and what to do, so that a
/// misconfigured server refuses to start instead of failing its first publish.</summary>
internal static partial class StorageOptionsCheck
{
    private const string S = StorageOptions.Section;

    public static IReadOnlyList<string> Problems(StorageOptions options)
    {
        var problems = new List<string>();
        if (!StorageOptions.Modes.Contains(options.Mode, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"{S}:Mode is '{options.Mode}'; valid values are {string.Join(", ", StorageOptions.Modes)}");
            return problems;
        }

        if (!options.IsAzureBlob)
        {
            if (options.DirectDownloads)
            {
                problems.Add($"{S}:DirectDownloads needs {S}:Mode={StorageOptions.AzureBlob}; agents of a {StorageOptions.FileSystem} store download through the server");
            }

            return problems;
        }

        var hasConnection = !string.IsNullOrWhiteSpace(options.ConnectionString);
        if (hasConnection == (options.AccountUrl is not null))
        {
            problems.Add($"{S}: with Mode={StorageOptions.AzureBlob} set exactly one of ConnectionString (BACKFLOW__STORAGE__CONNECTIONSTRING) or AccountUrl with AccountName and AccountKey");
        }
        else if (!hasConnection && (string.IsNullOrWhiteSpace(options.AccountName) || string.IsNullOrWhiteSpace(options.AccountKey)))
        {
            problems.Add($"{S}:AccountUrl needs {S}:AccountName and {S}:AccountKey (the shared key credential that also signs SAS URLs)");
        }

        if (!ContainerName().IsMatch(options.Container) || options.Container.Contains("--", StringComparison.Ordinal))
        {
            problems.Add($"{S}:Container '{options.Container}' is not a valid container name: 3-63 lowercase letters, digits and single hyphens, starting with a letter or digit");
        }

        if (options.SasLifetime < TimeSpan.FromSeconds(1) || options.SasLifetime > TimeSpan.FromDays(1))
        {
            problems.Add($"{S}:SasLifetime is {options.SasLifetime}; use between 00:00:01 and 1.00:00:00 (default 00:15:00)");
        }

        return problems;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerName();
}
