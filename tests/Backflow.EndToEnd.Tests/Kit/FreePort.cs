using System.Net;
using System.Net.Sockets;

namespace Backflow.EndToEnd.Tests.Kit;

/// <summary>Finds a free loopback port for a child server process.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
