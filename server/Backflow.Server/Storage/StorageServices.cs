using Azure.Storage;
using Azure.Storage.Blobs;
using Backflow.Server.Hosting;

namespace Backflow.Server.Storage;

/// <summary>Chooses the extract store from configuration alone (<c>Backflow:Storage:Mode</c>), checked on start.</summary>
internal static class StorageServices
{
    public static IServiceCollection AddBackflowStorage(this IServiceCollection services, IConfiguration? configuration)
    {
        var options = Read(configuration);
        services.AddSingleton(options);
        if (options.IsAzureBlob)
        {
            var store = new AzureBlobExtractStore(ContainerOf(options));
            if (options.DirectDownloads && !store.CanSign)
            {
                throw new UserError($"{StorageOptions.Section}:DirectDownloads needs a key to sign SAS URLs: use a connection string with AccountKey=…, or AccountUrl with AccountName and AccountKey");
            }

            services.AddSingleton<IExtractStore>(store);
            services.AddSingleton<IReadLinkSigner>(store);
        }
        else
        {
            services.AddSingleton<IExtractStore, FileSystemExtractStore>();
        }

        services.AddSingleton(sp => new DirectDownloads(options, sp.GetRequiredService<TimeProvider>(), sp.GetService<IReadLinkSigner>()));
        return services;
    }

    private static StorageOptions Read(IConfiguration? configuration)
    {
        var options = new StorageOptions();
        try
        {
            configuration?.GetSection(StorageOptions.Section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new UserError($"{StorageOptions.Section}: {e.Message}");
        }

        var problems = StorageOptionsCheck.Problems(options);
        if (problems.Count > 0)
        {
            throw new UserError("extract storage is misconfigured:\n  " + string.Join("\n  ", problems));
        }

        return options;
    }

    private static BlobContainerClient ContainerOf(StorageOptions options)
    {
        try
        {
            var service = string.IsNullOrWhiteSpace(options.ConnectionString)
                ? new BlobServiceClient(options.AccountUrl, new StorageSharedKeyCredential(options.AccountName, options.AccountKey))
                : new BlobServiceClient(options.ConnectionString);
            return service.GetBlobContainerClient(options.Container);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // The SDK's message never echoes the key; ours must not either.
            throw new UserError($"{StorageOptions.Section}: the Azure storage credentials are malformed ({e.Message}); check ConnectionString, or AccountUrl, AccountName and AccountKey (base64)");
        }
    }
}
