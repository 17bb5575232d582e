namespace Backflow.Server.Hosting;

/// <summary>
/// Resolves the data and catalog folders: the command-line option wins, then configuration
/// (<c>Backflow:DataDirectory</c>, <c>Backflow:CatalogDirectory</c> in appsettings.json or
/// <c>BACKFLOW__DATADIRECTORY</c> / <c>BACKFLOW__CATALOGDIRECTORY</c>), then the defaults.
/// </summary>
internal static class ServerLocations
{
    public const string DefaultData = "./backflow-data";
    public const string DefaultCatalog = "config/catalog";

    public static ServerPaths Resolve(string? dataOption, string? catalogOption, IConfiguration configuration) =>
        new(
            dataOption ?? configuration["Backflow:DataDirectory"] ?? DefaultData,
            catalogOption ?? configuration["Backflow:CatalogDirectory"] ?? DefaultCatalog);

    /// <summary>Configuration for CLI commands: appsettings.json beside the executable and in the working folder, then environment variables.</summary>
    public static IConfiguration LoadConfiguration() =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
}
