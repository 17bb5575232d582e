using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;

namespace Backflow.Server.Storage;

/// <summary>
/// Extracts as block blobs in one container. A commit is a create-only upload (<c>If-None-Match: *</c>), so a
/// name, once taken, always names the same bytes, and of two publishers racing for a name exactly one wins.
/// Storage failures surface as <see cref="IOException"/>s, as they do from the filesystem store.
/// </summary>
internal sealed class AzureBlobExtractStore(BlobContainerClient container) : IExtractStore, IReadLinkSigner
{
    // Big enough that a range read of a few MB is one or two requests, small enough to keep memory flat per download.
    private const int ReadBufferSize = 1024 * 1024;
    private volatile bool _created;

    public async Task CommitAsync(string stagingFile, string name, CancellationToken cancellationToken)
    {
        await Guard(name, async () =>
        {
            await EnsureContainerAsync(cancellationToken);
            await using var file = new FileStream(stagingFile, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
            await container.GetBlobClient(name).UploadAsync(file, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/vnd.apache.parquet" },
            }, cancellationToken);
        });

        // Only once stored: a failed upload leaves the staging file for the caller's clean-up, as a failed rename does.
        File.Delete(stagingFile);
    }

    /// <summary>Nothing to do: a blob is stored durably when its upload returns.</summary>
    public Task FlushAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        Stream? stream = null;
        await Guard(name, async () =>
        {
            // The SDK's read stream is seekable and fetches only from the position asked for, so ranged requests on
            // the server's download route read only the bytes they send.
            stream = await container.GetBlobClient(name).OpenReadAsync(
                new BlobOpenReadOptions(allowModifications: false) { BufferSize = ReadBufferSize }, cancellationToken);
        });
        return stream!;
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        Guard(name, () => container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken));

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                Page<BlobItem> page;
                try
                {
                    if (!await pages.MoveNextAsync())
                    {
                        yield break;
                    }

                    page = pages.Current;
                }
                catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
                {
                    yield break; // nothing was ever committed
                }
                catch (RequestFailedException e)
                {
                    throw new IOException($"listing '{prefix}' in container '{container.Name}' failed: {e.Message}", e);
                }

                foreach (var item in page.Values)
                {
                    yield return item.Name;
                }
            }
        }
        finally
        {
            await pages.DisposeAsync();
        }
    }

    public bool CanSign => container.CanGenerateSasUri;

    /// <summary>A read-only SAS URL for exactly one blob; it grants nothing else in the account or container.</summary>
    public Uri SignReadLink(string name, DateTimeOffset expiresOn)
    {
        var blob = container.GetBlobClient(name);
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, expiresOn)
        {
            BlobContainerName = container.Name,
            BlobName = name,
            Resource = "b",
            // Plain HTTP only where the account itself is served over HTTP (a local emulator).
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        return blob.GenerateSasUri(sas);
    }

    // Not a cached Task: a transient failure here must not fail every later commit until a restart. Racing callers both
    // ask, which is harmless: creating an existing container is a no-op.
    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
            _created = true;
        }
    }

    private async Task Guard(string name, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobAlreadyExists || e.Status == 412)
        {
            throw new ExtractExistsException(name, e);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobNotFound || e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            throw new FileNotFoundException($"the extract store has no '{name}' (container '{container.Name}')", name, e);
        }
        catch (RequestFailedException e)
        {
            throw new IOException($"Azure Blob Storage failed on '{name}' (container '{container.Name}'): HTTP {e.Status} {e.ErrorCode}: {e.Message}", e);
        }
    }
}
