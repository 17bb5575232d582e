using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Backflow.Agent.Hosting;

/// <summary>
/// The socket handler under every agent request: the configured proxy (or the system default, or none), and an
/// optional extra CA for extranets whose server certificates chain to a government CA the OS does not trust.
/// </summary>
internal static class AgentHttpHandler
{
    public static SocketsHttpHandler Create(AgentOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // Re-resolve DNS now and then: county links fail over between gateways.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };

        if (string.Equals(options.Proxy, "direct", StringComparison.OrdinalIgnoreCase))
        {
            handler.UseProxy = false;
        }
        else if (!string.IsNullOrWhiteSpace(options.Proxy))
        {
            handler.Proxy = new WebProxy(new Uri(options.Proxy));
            handler.UseProxy = true;
        }

        if (!string.IsNullOrWhiteSpace(options.TrustedCaFile))
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(options.TrustedCaFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                Validate(authorities, certificate, chain, errors);
        }

        return handler;
    }

    internal static bool Validate(X509Certificate2Collection authorities, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only an untrusted root is forgiven, and only if the chain ends at the configured CA; a wrong host name never is.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);

        // Extranet machines cannot reach public CRL/OCSP endpoints; a revocation check would fail every time.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
