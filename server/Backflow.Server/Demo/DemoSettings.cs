namespace Backflow.Server.Demo;

/// <summary>The demo's command-line choices.</summary>
/// <param name="DataFolder">Recreated on every run (see <see cref="DemoFolder"/>).</param>
/// <param name="CatalogFolder">Null for the server's usual resolution (config/catalog).</param>
internal sealed record DemoSettings(string DataFolder, string? CatalogFolder, string Urls, TimeSpan SyncInterval);
