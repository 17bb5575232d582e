namespace Backflow.Benchmarks;

/// <summary>Locates the repository and the built executables (same configuration as this program).</summary>
internal static class BuiltPaths
{
#if RELEASE_BUILD
    private const string Configuration = "Release";
#else
    private const string Configuration = "Debug";
#endif

    public static string Root => Backflow.Testing.RepoRoot.Path;

    public static string Catalog => Path.Combine(Root, "config", "catalog");

    /// <summary>The server under test; BACKFLOW_BENCH_SERVER_DLL points at another build (an older commit) for an A/B run.</summary>
    public static string ServerDll => Environment.GetEnvironmentVariable("BACKFLOW_BENCH_SERVER_DLL") is { Length: > 0 } other
        ? other
        : Built("server/Backflow.Server", "backflow-server.dll");

    public static string AgentDll => Built("agent/Backflow.Agent", "backflow-agent.dll");

    /// <summary>This program, re-run as a child for the measured agent apply.</summary>
    public static string SelfDll => typeof(BuiltPaths).Assembly.Location;

    public static string ConfigurationName => Configuration;

    private static string Built(string project, string dll)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing; build the solution in {Configuration} first", path);
    }
}
