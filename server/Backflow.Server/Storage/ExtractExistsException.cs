namespace Backflow.Server.Storage;

/// <summary>A commit found an object of that name already stored; the stored object is left as it was.
/// An <see cref="IOException"/> like any other storage failure, so callers that clean up on I/O errors still do.</summary>
internal sealed class ExtractExistsException(string name, Exception? inner = null)
    : IOException($"the extract store already holds '{name}'; objects are never overwritten", inner);
