using Backflow.Server.Hosting;
using Backflow.Server.Storage;

namespace Backflow.Server.Tests.Storage;

public sealed class FileSystemExtractStoreTests : ExtractStoreContract
{
    public FileSystemExtractStoreTests()
    {
        var paths = new ServerPaths(Path.Combine(Staging, "data"), Path.Combine(Staging, "catalog"));
        paths.EnsureCreated();
        Store = new FileSystemExtractStore(paths);
    }

    internal override IExtractStore Store { get; }
}
