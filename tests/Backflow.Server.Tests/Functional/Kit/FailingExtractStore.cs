using Backflow.Server.Storage;

namespace Backflow.Server.Tests.Functional.Kit;

/// <summary>Wraps the real store and fails the n-th commit after the file has been moved into the store, as a
/// crash between two regions' commits would. With <paramref name="crash"/> nothing is cleaned up afterwards either,
/// as when the process dies there.</summary>
internal sealed class FailingExtractStore(IExtractStore inner, int failOnCommit, bool crash = false) : IExtractStore
{
    private int _commits;

    public async Task CommitAsync(string stagingFile, string name, CancellationToken cancellationToken)
    {
        await inner.CommitAsync(stagingFile, name, cancellationToken);
        if (Interlocked.Increment(ref _commits) == failOnCommit)
        {
            throw new IOException($"injected failure after committing {name}");
        }
    }

    public Task FlushAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken) => inner.FlushAsync(names, cancellationToken);

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken) => inner.OpenReadAsync(name, cancellationToken);

    public Task DeleteAsync(string name, CancellationToken cancellationToken) => crash ? Task.CompletedTask : inner.DeleteAsync(name, cancellationToken);

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);
}
