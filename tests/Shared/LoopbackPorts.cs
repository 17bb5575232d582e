using System.Net;
using System.Net.Sockets;

namespace Backflow.Testing;

/// <summary>Loopback ports for test servers: one the system just handed out, so nothing listens on it now.</summary>
internal static class LoopbackPorts
{
    /// <summary>A port free at the time of the call: bind it (a test server) or dial it (a refused connection).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
