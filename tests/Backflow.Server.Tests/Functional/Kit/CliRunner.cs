using Backflow.Server.Cli;
using Backflow.Server.Hosting;

namespace Backflow.Server.Tests.Functional.Kit;

/// <summary>Runs <c>backflow-server</c> in-process on a data folder and catalog, capturing its output.</summary>
internal static class CliRunner
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(ServerPaths paths, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ServerCli.RunAsync(["--data", paths.DataDirectory, "--catalog", paths.CatalogDirectory, .. args], output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
