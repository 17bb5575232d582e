using System.Runtime.CompilerServices;
using Backflow.Server.Hosting;
using Backflow.Server.Rows;

namespace Backflow.Server.Storage;

/// <summary>Extracts as files under <c>&lt;data&gt;/extracts</c>; a commit renames the staging file to its name only if
/// the name is free, atomically (<see cref="NoReplaceRename"/>).</summary>
internal sealed class FileSystemExtractStore(ServerPaths paths) : IExtractStore
{
    /// <summary>Folders flushed at once: an fsync waits on the disk, not on a core. A first publish over 3,100 counties
    /// flushes 3,100 folders; one after another, and each folder's parent with it, they added 1.5-2 s to it.</summary>
    private const int ParallelFlushes = 8;

    public Task CommitAsync(string stagingFile, string name, CancellationToken cancellationToken)
    {
        var target = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        switch (NoReplaceRename.TryMove(stagingFile, target))
        {
            case true:
                break;
            case false:
                throw new ExtractExistsException(name);
            default:
                ClaimThenMove(stagingFile, target, name);
                break;
        }

        return Task.CompletedTask;
    }

    public async Task FlushAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        // The folder holding each file, and the folders above it, which hold the entries of any folder the commit made
        // (a county's folder on its first extract, a dataset's on its first). Each once, however many names share it.
        var folders = names.Select(n => Path.GetDirectoryName(PathOf(n))!).Distinct(StringComparer.Ordinal).ToList();
        var parents = folders.Select(f => Path.GetDirectoryName(f)!).Append(paths.ExtractsDirectory);
        var options = new ParallelOptions { MaxDegreeOfParallelism = ParallelFlushes, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(folders.Concat(parents).Distinct(StringComparer.Ordinal), options, (folder, _) =>
        {
            DirectorySync.Flush(folder);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Where the file system cannot rename without replacing (see <see cref="NoReplaceRename"/>): claim the name
    /// first with an exclusive create (O_EXCL), then rename the staging file over the claim. On Linux
    /// File.Move(overwrite: false) checks for the target and then renames, so two publishers racing for one name could
    /// both "win" and one silently replace the other (found by the store contract's race test, 2 runs in 25).</summary>
    private static void ClaimThenMove(string stagingFile, string target, string name)
    {
        try
        {
            new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None).Dispose();
        }
        catch (IOException e) when (File.Exists(target))
        {
            throw new ExtractExistsException(name, e);
        }

        try
        {
            File.Move(stagingFile, target, overwrite: true);
        }
        catch
        {
            File.Delete(target); // our own empty claim: leave the name free again
            throw;
        }
    }

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        Stream stream = new FileStream(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, useAsync: true);
        return Task.FromResult(stream);
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        // File.Delete ignores a missing file but not a missing folder; deleting is idempotent either way.
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var root = paths.ExtractsDirectory;
        var directory = Path.GetDirectoryName(PathOf(prefix + "x"))!;
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return name;
            }
        }

        await Task.CompletedTask;
    }

    private string PathOf(string name)
    {
        // Names come from ExtractNames (validated ids and numbers); refuse anything else as a second line of defence.
        if (name.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(name) || name.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not an extract name", nameof(name));
        }

        return Path.Combine(paths.ExtractsDirectory, name.Replace('/', Path.DirectorySeparatorChar));
    }
}
