using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Backflow.Agent.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Backflow.Agent.Tests.Hosting;

/// <summary>
/// The proxy and extra-CA settings against real listeners on loopback: an HTTPS server whose certificate chains to a
/// CA the OS does not trust (as on a provincial extranet), and a plain HTTP proxy that records what it forwards.
/// </summary>
public sealed class AgentHttpHandlerTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [Fact]
    public async Task Extra_CA_lets_the_agent_reach_a_server_whose_certificate_chains_to_it()
    {
        using var authority = CreateAuthority("CN=Provincial Extranet CA");
        await using var server = await StartHttpsAsync(IssueServerCertificate(authority, "localhost"));
        using var client = ClientWith(new AgentOptions { Proxy = "direct", TrustedCaFile = WritePem(authority, "ca.pem") });

        var answer = await client.GetStringAsync(new Uri($"https://localhost:{server.Port}/hello"));

        Assert.Equal("hello over tls", answer);
    }

    [Fact]
    public async Task Without_the_extra_CA_the_untrusted_certificate_is_refused()
    {
        using var authority = CreateAuthority("CN=Provincial Extranet CA");
        await using var server = await StartHttpsAsync(IssueServerCertificate(authority, "localhost"));
        using var client = ClientWith(new AgentOptions { Proxy = "direct" });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(new Uri($"https://localhost:{server.Port}/hello")));
    }

    [Fact]
    public async Task A_different_CA_does_not_vouch_for_the_server()
    {
        using var authority = CreateAuthority("CN=Provincial Extranet CA");
        using var stranger = CreateAuthority("CN=Someone Else CA");
        await using var server = await StartHttpsAsync(IssueServerCertificate(authority, "localhost"));
        using var client = ClientWith(new AgentOptions { Proxy = "direct", TrustedCaFile = WritePem(stranger, "other.pem") });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(new Uri($"https://localhost:{server.Port}/hello")));
    }

    [Fact]
    public async Task The_extra_CA_never_forgives_a_wrong_host_name()
    {
        using var authority = CreateAuthority("CN=Provincial Extranet CA");
        await using var server = await StartHttpsAsync(IssueServerCertificate(authority, "backflow.example.gov.cn"));
        using var client = ClientWith(new AgentOptions { Proxy = "direct", TrustedCaFile = WritePem(authority, "ca.pem") });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(new Uri($"https://localhost:{server.Port}/hello")));
    }

    [Fact]
    public async Task Requests_go_through_the_configured_proxy()
    {
        var seen = new List<string>();
        await using var proxy = await StartAsync(
            web => web.UseUrls("http://127.0.0.1:0"),
            context =>
            {
                lock (seen)
                {
                    seen.Add($"{context.Request.Host}{context.Request.Path}");
                }

                return context.Response.WriteAsync("via proxy");
            });
        using var client = ClientWith(new AgentOptions { Proxy = $"http://127.0.0.1:{proxy.Port}" });

        // The host does not exist: only a proxy can answer for it.
        var answer = await client.GetStringAsync(new Uri("http://backflow.invalid/api/v1/feeds"));

        Assert.Equal("via proxy", answer);
        Assert.Equal(["backflow.invalid/api/v1/feeds"], seen);
    }

    [Fact]
    public void Direct_turns_every_proxy_off_including_the_system_default()
    {
        using var handler = AgentHttpHandler.Create(new AgentOptions { Proxy = "DIRECT" });

        Assert.False(handler.UseProxy);
    }

    public void Dispose() => _folder.Dispose();

    private static HttpClient ClientWith(AgentOptions options) =>
        new(AgentHttpHandler.Create(options)) { Timeout = TimeSpan.FromSeconds(30) };

    private static X509Certificate2 CreateAuthority(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = TimeProvider.System.GetUtcNow();
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    private static X509Certificate2 IssueServerCertificate(X509Certificate2 authority, string hostName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = TimeProvider.System.GetUtcNow();
        using var issued = request.Create(authority, now.AddHours(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);

        // SslStream on Linux needs a key it can export; a PKCS#12 round trip gives it one.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }

    private string WritePem(X509Certificate2 certificate, string name)
    {
        var path = Path.Combine(_folder.Path, name);
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    private static Task<Listener> StartHttpsAsync(X509Certificate2 certificate) =>
        StartAsync(
            web => web.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate))),
            context => context.Response.WriteAsync("hello over tls"));

    private static async Task<Listener> StartAsync(Action<IWebHostBuilder> configure, RequestDelegate answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        configure(builder.WebHost);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(answer);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Listener(app, new Uri(address).Port);
    }

    private sealed record Listener(WebApplication App, int Port) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
