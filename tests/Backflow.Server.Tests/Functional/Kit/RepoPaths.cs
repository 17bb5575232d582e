namespace Backflow.Server.Tests.Functional.Kit;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Catalog => Path.Combine(Root, "config", "catalog");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Backflow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Backflow.sln not found above " + AppContext.BaseDirectory);
    }
}
