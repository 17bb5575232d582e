namespace Backflow.Server.Storage;

/// <summary>
/// Hands out short-lived read-only URLs when storage is Azure Blob and <c>Backflow:Storage:DirectDownloads</c> is on.
/// Storage is not trusted for integrity: agents verify the signed manifest and the file's SHA-256 whatever served it.
/// </summary>
internal sealed class DirectDownloads(StorageOptions options, TimeProvider time, IReadLinkSigner? signer)
{
    public bool Enabled => signer is not null && options.DirectDownloads;

    public DirectLink Issue(string name)
    {
        if (signer is null || !options.DirectDownloads)
        {
            throw new InvalidOperationException("direct downloads are off");
        }

        // A SAS expiry has whole seconds; say exactly what the URL carries.
        var now = time.GetUtcNow() + options.SasLifetime;
        var expires = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return new DirectLink(signer.SignReadLink(name, expires), expires);
    }
}
