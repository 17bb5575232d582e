using System.CommandLine;

namespace Backflow.Server.Cli;

/// <summary>Options every server command takes.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Server data folder: metadata database, extracts, signing key [default: ./backflow-data or Backflow:DataDirectory]",
        Recursive = true,
    };

    public static readonly Option<string?> Catalog = new("--catalog")
    {
        Description = "Catalog folder with one <dataset-id>.json per dataset [default: config/catalog or Backflow:CatalogDirectory]",
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print the result as JSON instead of a table" };
}
