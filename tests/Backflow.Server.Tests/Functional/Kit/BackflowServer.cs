using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Manifests;
using Backflow.Server.Agents;
using Backflow.Server.Catalog;
using Backflow.Server.Hosting;
using Backflow.Server.Publishing;
using Backflow.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Backflow.Server.Tests.Functional.Kit;

/// <summary>
/// The real server on a loopback port over a fresh data folder and a copy of the repository's catalog (plus the
/// test datasets), with a real <see cref="HttpClient"/>; and, beside it, the services the CLI uses on the same
/// data folder, to add agents and tokens and publish as an operator at the console would.
/// </summary>
internal sealed class BackflowServer : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BackflowServer(string root, ServerPaths paths, WebApplication app, ServiceProvider services, Uri address)
    {
        Root = root;
        Paths = paths;
        App = app;
        _services = services;
        Http = new HttpClient { BaseAddress = address };
    }

    public string Root { get; }

    public ServerPaths Paths { get; }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    /// <param name="time">A clock shared by the host and the side services (e.g. a FakeTimeProvider); the system clock by default.</param>
    /// <param name="configure">Further service overrides for the host only.</param>
    /// <param name="settings">Configuration for the host and the side services alike, e.g. <c>Backflow:Storage:Mode</c>.</param>
    public static async Task<BackflowServer> StartAsync(TimeProvider? time = null, Action<IServiceCollection>? configure = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "backflow-server-tests", Guid.NewGuid().ToString("N"));
        var paths = NewPaths(root);
        settings ??= new Dictionary<string, string?>();
        // The scheduled snapshot job fires on the quarter hour by wall clock; a test must not see an extra sequence only
        // because it ran across one. Later arguments win, so a test's own setting still applies.
        string[] args = ["--Logging:LogLevel:Default=Warning", "--Backflow:Snapshots:Cron=0 0 0 1 1 ? 2099", .. settings.Select(s => $"--{s.Key}={s.Value}")];
        var app = ServerHost.Build(args, paths.DataDirectory, paths.CatalogDirectory, "http://127.0.0.1:0", services =>
        {
            if (time is not null)
            {
                services.AddSingleton(time);
            }

            configure?.Invoke(services);
        });
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        var side = new ServiceCollection().AddBackflowServer(paths, new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        if (time is not null)
        {
            side.AddSingleton(time);
        }

        return new BackflowServer(root, paths, app, side.BuildServiceProvider(), address);
    }

    /// <summary>A fresh data folder and catalog copy, without a running host (for tests that only need services).</summary>
    public static ServerPaths NewPaths(string root)
    {
        var catalog = Path.Combine(root, "catalog");
        Directory.CreateDirectory(catalog);
        foreach (var file in Directory.EnumerateFiles(RepoRoot.Catalog, "*.json"))
        {
            File.Copy(file, Path.Combine(catalog, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(catalog, TestCatalog.Entities + ".json"), TestCatalog.EntitiesJson);
        File.WriteAllText(Path.Combine(catalog, TestCatalog.Secret + ".json"), TestCatalog.SecretJson);
        File.WriteAllText(Path.Combine(catalog, TestCatalog.Monthly + ".json"), TestCatalog.EntitiesJson
            .Replace("\"test-entities\"", "\"" + TestCatalog.Monthly + "\"", StringComparison.Ordinal)
            .Replace("\"daily\"", "\"monthly\"", StringComparison.Ordinal));
        return new ServerPaths(Path.Combine(root, "data"), catalog);
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public DatasetDefinition Dataset(string id = TestCatalog.Entities) => Get<CatalogService>().Get(id);

    public Task<PublishResult> PublishAsync(string csv, string? publishId = null, string? deletes = null, string dataset = TestCatalog.Entities, Encoding? encoding = null)
    {
        encoding ??= new UTF8Encoding(false);
        var request = new PublishRequest(dataset, new MemoryStream(encoding.GetBytes(csv)),
            deletes is null ? null : new MemoryStream(encoding.GetBytes(deletes)), encoding, publishId, "test");
        return Get<Publisher>().PublishAsync(request, CancellationToken.None);
    }

    public Task<PublishResult> PublishAsync(params TestRow[] rows) => PublishAsync(TestRow.CsvOf(rows));

    public string AddToken(string role, params string[] datasets) => Get<TokenRegistry>().Add(role, datasets.Length == 0 ? null : datasets, "test").Token;

    /// <summary>Creates an agent as an operator would and enrolls it over HTTP, as the agent would.</summary>
    public async Task<EnrolledAgent> EnrollAgentAsync(string regions, params string[] datasets)
    {
        var added = Get<AgentRegistry>().Add("测试代理 " + regions, regions, datasets.Length == 0 ? [TestCatalog.Entities] : datasets, "批准文号-1", "test");
        using var response = await Http.PostAsJsonAsync("/api/v1/enroll", new { code = added.EnrollmentCode });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var keys = json.RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => TrustedKey.FromPem(k.GetProperty("publicKeyPem").GetString()!)).ToArray();
        return new EnrolledAgent(json.RootElement.GetProperty("agentId").GetString()!, json.RootElement.GetProperty("token").GetString()!, keys);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        configure?.Invoke(request);
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? token, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(HttpMethod.Get, path, token, null, configure);

    public async Task<JsonElement> GetJsonAsync(string path, string token)
    {
        using var response = await GetAsync(path, token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS; the temp folder is cleaned eventually.
        }
    }
}
