using Backflow.Server.Hosting;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Tests.Functional.Kit;

/// <summary>
/// A new folder under the system temp folder for one test (<c>backflow-server-tests/&lt;guid&gt;</c>), deleted with
/// everything in it when disposed.
/// </summary>
internal sealed class TempServerFolder : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "backflow-server-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A data folder and a copy of the repository's catalog inside <see cref="Root"/>.</summary>
    public ServerPaths NewPaths() => BackflowServer.NewPaths(Root);

    public string PathOf(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        // Pooled connections keep the database files open, and Windows refuses to delete an open file.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
