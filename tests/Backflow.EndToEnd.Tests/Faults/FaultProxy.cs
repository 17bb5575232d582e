using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>
/// A TCP proxy on loopback in front of the real server that forwards both ways and, for extract downloads, may cut
/// the connection after a chosen number of response bytes — like a county link that drops mid-transfer. It reads
/// request heads only to learn which requests are downloads and which of them resume with <c>Range</c>.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private const string ExtractRequest = "GET /api/v1/extracts/";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly Func<string, long?> _cutAfter;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _cuts;
    private int _resets;
    private int _downloads;
    private int _ranges;

    /// <param name="cutAfter">Given a download's path, the number of response bytes after which to cut, or null to let it through.</param>
    public FaultProxy(Uri target, Func<string, long?> cutAfter)
    {
        _target = target;
        _cutAfter = cutAfter;
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri BaseAddress { get; }

    /// <summary>Connections cut mid-response (closed or reset).</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>Cuts done with a TCP reset rather than a clean close.</summary>
    public int Resets => Volatile.Read(ref _resets);

    public int Downloads => Volatile.Read(ref _downloads);

    /// <summary>Download requests that carried a <c>Range</c> header, i.e. resumed a part.</summary>
    public int RangeRequests => Volatile.Read(ref _ranges);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var connection = new ProxyConnection();
        try
        {
            await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _target.Port), done.Token);
            var up = PumpRequestsAsync(client, server, connection, done.Token);
            var down = PumpResponsesAsync(server, client, connection, done.Token);
            await Task.WhenAny(up, down);
            await done.CancelAsync();
            await Task.WhenAll(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            // the agent or the server went away; nothing to forward any more
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Agent → server. Arms the cut for downloads; HTTP/1.1 without pipelining sends one request at a time.</summary>
    private async Task PumpRequestsAsync(Socket from, Socket to, ProxyConnection connection, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, ct)) > 0)
            {
                var head = Encoding.ASCII.GetString(buffer, 0, read);
                if (head.StartsWith("GET ", StringComparison.Ordinal))
                {
                    var isDownload = head.StartsWith(ExtractRequest, StringComparison.Ordinal);
                    connection.Arm(isDownload ? _cutAfter(head[4..head.IndexOf(' ', 4)]) : null);
                    if (isDownload)
                    {
                        Interlocked.Increment(ref _downloads);
                        if (head.Contains("\r\nRange: bytes=", StringComparison.OrdinalIgnoreCase))
                        {
                            Interlocked.Increment(ref _ranges);
                        }
                    }
                }
                else if (head.Length > 0 && char.IsAsciiLetterUpper(head[0]))
                {
                    connection.Arm(null);
                }

                await to.SendAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // closed by the other pump or by the peer
        }
    }

    /// <summary>Server → agent, cutting an armed download once its budget of bytes is spent.</summary>
    private async Task PumpResponsesAsync(Socket from, Socket to, ProxyConnection connection, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, ct)) > 0)
            {
                var allowed = connection.Take(read);
                if (allowed > 0)
                {
                    await to.SendAsync(buffer.AsMemory(0, allowed), ct);
                }

                if (allowed < read)
                {
                    Interlocked.Increment(ref _cuts);
                    if (connection.ResetOnCut)
                    {
                        // Linger 0 makes Close send RST: the agent sees "connection reset" rather than an early end.
                        Interlocked.Increment(ref _resets);
                        to.LingerState = new LingerOption(true, 0);
                    }

                    to.Close();
                    return;
                }
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // closed by the other pump or by the peer
        }
    }
}
