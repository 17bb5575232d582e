namespace Backflow.Server.Storage;

/// <summary>Where extracts are kept, section <c>Backflow:Storage</c> (<c>BACKFLOW__STORAGE__MODE</c> …).</summary>
internal sealed class StorageOptions
{
    public const string Section = "Backflow:Storage";
    public const string FileSystem = "FileSystem";
    public const string AzureBlob = "AzureBlob";
    public static readonly IReadOnlyList<string> Modes = [FileSystem, AzureBlob];

    /// <summary><c>FileSystem</c> (default: <c>&lt;data&gt;/extracts</c>) or <c>AzureBlob</c>.</summary>
    public string Mode { get; set; } = FileSystem;

    /// <summary>AzureBlob: a storage connection string. With an account key in it, the server can also sign SAS URLs.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>AzureBlob without a connection string: the blob endpoint, e.g. <c>https://acct.blob.core.windows.net</c>.</summary>
    public Uri? AccountUrl { get; set; }

    /// <summary>With <see cref="AccountUrl"/>: the account name and key of the shared key credential.</summary>
    public string? AccountName { get; set; }

    public string? AccountKey { get; set; }

    /// <summary>One container per deployment; created (private) on first use.</summary>
    public string Container { get; set; } = "backflow-extracts";

    /// <summary>AzureBlob only: the changes feed hands agents that ask for them read-only SAS URLs to each extract.</summary>
    public bool DirectDownloads { get; set; }

    /// <summary>How long a handed-out SAS URL stays valid; agents ask the feed again for a fresh one after that.</summary>
    public TimeSpan SasLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public bool IsAzureBlob => string.Equals(Mode, AzureBlob, StringComparison.OrdinalIgnoreCase);
}
