using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Backflow.Benchmarks;

/// <summary><c>backflow-server run</c> on a free loopback port over a benchmark's data folder, killed on dispose.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly Process _host;

    private RunningServer(Process host, Uri address)
    {
        _host = host;
        Address = address;
    }

    public Uri Address { get; }

    public Process Process => _host;

    public static async Task<RunningServer> StartAsync(ServerData server, string workingDirectory)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { BuiltPaths.ServerDll, "run", "--urls", $"http://127.0.0.1:{port}", "--data", server.DataDirectory, "--catalog", server.CatalogDirectory })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var host = Process.Start(info) ?? throw new InvalidOperationException("could not start backflow-server run");
        _ = host.StandardOutput.ReadToEndAsync();
        _ = host.StandardError.ReadToEndAsync();
        var running = new RunningServer(host, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await running.WaitHealthyAsync();
            return running;
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _host.Kill(entireProcessTree: true);
        await _host.WaitForExitAsync();
        _host.Dispose();
    }

    private async Task WaitHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_host.HasExited)
            {
                throw new InvalidOperationException("backflow-server run exited at start-up with " + _host.ExitCode.ToString(CultureInfo.InvariantCulture));
            }

            try
            {
                if ((await client.GetAsync(new Uri("/healthz", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("backflow-server run did not answer /healthz within 60 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
