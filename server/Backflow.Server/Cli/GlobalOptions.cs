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

    /// <summary>The text encoding of CSV input files (publish, rebase, agents add --from-file).</summary>
    public static Option<string> Encoding() => new("--encoding")
    {
        Description = "Text encoding of CSV files: utf-8, or gb18030 (also reads GBK/GB2312, e.g. Excel's CSV on Chinese Windows)",
        DefaultValueFactory = _ => "utf-8",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print the result as JSON instead of a table" };
}
