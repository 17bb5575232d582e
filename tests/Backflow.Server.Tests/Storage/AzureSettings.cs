namespace Backflow.Server.Tests.Storage;

/// <summary>Server settings for an Azure Blob store in its own Azurite container.</summary>
internal static class AzureSettings
{
    public static Dictionary<string, string?> For(string container, bool directDownloads = false) => new()
    {
        ["Backflow:Storage:Mode"] = "AzureBlob",
        ["Backflow:Storage:ConnectionString"] = Azurite.Shared.ConnectionString,
        ["Backflow:Storage:Container"] = container,
        ["Backflow:Storage:DirectDownloads"] = directDownloads ? "true" : "false",
    };
}
