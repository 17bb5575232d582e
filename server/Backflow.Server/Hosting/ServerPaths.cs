namespace Backflow.Server.Hosting;

/// <summary>
/// Layout of the server's data directory. Every path here is derived from validated ids and numbers,
/// never from request text, so no request can name a file.
/// </summary>
internal sealed class ServerPaths
{
    public ServerPaths(string dataDirectory, string catalogDirectory)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        CatalogDirectory = Path.GetFullPath(catalogDirectory);
    }

    public string DataDirectory { get; }

    public string CatalogDirectory { get; }

    public string MetadataDatabase => Path.Combine(DataDirectory, "metadata.db");

    public string ExtractsDirectory => Path.Combine(DataDirectory, "extracts");

    public string StagingDirectory => Path.Combine(DataDirectory, "staging");

    public string KeysDirectory => Path.Combine(DataDirectory, "keys");

    public void EnsureCreated()
    {
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(ExtractsDirectory);
        Directory.CreateDirectory(StagingDirectory);
    }
}
