namespace Backflow.Server.Storage;

/// <summary>
/// Where extract files live. Objects are immutable: created once under a name and never overwritten, so a
/// manifest that names an object always names the same bytes. The filesystem store is the embedded default.
/// </summary>
internal interface IExtractStore
{
    /// <summary>Moves a finished staging file into the store under <paramref name="name"/>.
    /// Fails if an object of that name exists already. Call <see cref="FlushAsync"/> before recording the name.</summary>
    Task CommitAsync(string stagingFile, string name, CancellationToken cancellationToken);

    /// <summary>Makes the objects committed under <paramref name="names"/> survive a power loss: call it before the
    /// transaction that records them commits. On a file system a rename is durable only once the folder entries that
    /// name the file are flushed to disk; a blob store's commit is durable when it returns.</summary>
    Task FlushAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken);

    /// <summary>Opens an object for reading; the stream is seekable so that HTTP range requests can be served.</summary>
    Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Deletes an object if it exists (retention and clean-up of never-committed files).</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Lists object names under a prefix such as <c>market-entities/330106/</c>.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken);
}
