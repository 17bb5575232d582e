namespace Backflow.Testing;

/// <summary>Finds the repository from a test's output folder; shared by every test project (linked, not copied).</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    public static string Catalog => System.IO.Path.Combine(Path, "config", "catalog");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Backflow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Backflow.sln not found above " + AppContext.BaseDirectory);
    }
}
