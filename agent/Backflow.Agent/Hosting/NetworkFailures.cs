using System.Net.Sockets;
using System.Security.Authentication;
using Polly.Timeout;

namespace Backflow.Agent.Hosting;

/// <summary>
/// Turns a failed request into one line a county IT person can act on: which address could not be reached, why in
/// plain words, and what to check. The address comes from <see cref="Tagger"/>, which marks every failure of the
/// agent's HTTP clients with the scheme, host and port it was sent to (never the path or query, which may hold a
/// storage signature).
/// </summary>
internal static class NetworkFailures
{
    private const string AddressKey = "Backflow.Address";

    public const string Advice = "Check the address and port, the proxy (Backflow:Proxy) and the firewall.";

    /// <summary>The address a failed request went to, if the agent's HTTP pipeline tagged it.</summary>
    public static string? AddressOf(Exception e) => e.Data[AddressKey] as string;

    /// <summary>"cannot reach http://host:port (connection refused). Check …", or null if <paramref name="e"/> is not a network failure.</summary>
    public static string? Describe(Exception e, string? fallbackAddress = null)
    {
        if (e is not (HttpRequestException or TimeoutRejectedException or TaskCanceledException))
        {
            return null;
        }

        var address = AddressOf(e) ?? fallbackAddress ?? "the server";
        var (reason, advice) = Reason(e);
        return $"cannot reach {address} ({reason}). {advice}";
    }

    private static (string Reason, string Advice) Reason(Exception e)
    {
        if (e is TimeoutRejectedException or TaskCanceledException)
        {
            return ("no answer in time", Advice);
        }

        var request = (HttpRequestException)e;
        var socket = Innermost<SocketException>(e);
        switch (request.HttpRequestError)
        {
            case HttpRequestError.NameResolutionError:
                return ("host name not found", "Check the spelling of the address, the DNS server, the proxy (Backflow:Proxy) and the firewall.");
            case HttpRequestError.SecureConnectionError:
                var inner = Innermost<AuthenticationException>(e)?.InnerException?.Message ?? Innermost<AuthenticationException>(e)?.Message ?? InnermostMessage(e);
                return ($"TLS failed: {inner.TrimEnd('.')}",
                    "If the server speaks plain http, use an http:// address; if its certificate comes from a government CA, set Backflow:TrustedCaFile; also check the proxy (Backflow:Proxy).");
            case HttpRequestError.ProxyTunnelError:
                return ($"the proxy refused the connection: {InnermostMessage(e).TrimEnd('.')}", "Check the proxy (Backflow:Proxy) and whether it allows this address.");
            default:
                break;
        }

        var why = socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.TimedOut => "connection timed out",
            SocketError.HostUnreachable or SocketError.NetworkUnreachable => "no route to the host",
            SocketError.ConnectionReset => "connection reset",
            SocketError.HostNotFound or SocketError.NoData => "host name not found",
            _ => InnermostMessage(e).TrimEnd('.'),
        };
        return (why, Advice);
    }

    private static T? Innermost<T>(Exception e)
        where T : Exception
    {
        T? found = null;
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is T t)
            {
                found = t;
            }
        }

        return found;
    }

    private static string InnermostMessage(Exception e)
    {
        var x = e;
        while (x.InnerException is not null)
        {
            x = x.InnerException;
        }

        return x.Message;
    }

    /// <summary>Marks each failed request's exception with its address; sits outside the retry handler so it sees the final failure.</summary>
    internal sealed class Tagger : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException && request.RequestUri is { IsAbsoluteUri: true } uri)
            {
                e.Data[AddressKey] = uri.GetLeftPart(UriPartial.Authority);
                throw;
            }
        }
    }
}
