using System.Diagnostics;
using System.Text.Json;

namespace Backflow.EndToEnd.Tests.Kit;

/// <summary>
/// A real <c>backflow-server</c>: a temporary data folder and catalog, CLI commands run as child processes,
/// and the HTTP API as a long-running child process on a free loopback port.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly List<string> _log = [];
    private Process? _host;

    public ServerProcess()
    {
        Root = Path.Combine(Path.GetTempPath(), "backflow-e2e-" + Guid.NewGuid().ToString("N"));
        DataDirectory = Path.Combine(Root, "server-data");
        CatalogDirectory = Path.Combine(Root, "catalog");
        Directory.CreateDirectory(CatalogDirectory);
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Catalog, "*.json"))
        {
            File.Copy(file, Path.Combine(CatalogDirectory, Path.GetFileName(file)));
        }
    }

    public string Root { get; }

    public string DataDirectory { get; }

    public string CatalogDirectory { get; }

    public Uri? BaseAddress { get; private set; }

    /// <summary>Settings for every server process of this test (CLI and host), as <c>BACKFLOW__…</c> variables.</summary>
    /// <remarks>
    /// The scheduled snapshot job is moved out of the test's lifetime: it fires on the quarter hour by wall clock, and a
    /// test that changed a fifth of a region's rows would otherwise see an extra sequence only when it happened to run
    /// across :00, :15, :30 or :45. Tests of snapshots build them with the <c>snapshot</c> command.
    /// </remarks>
    public Dictionary<string, string> Environment { get; } = new() { ["BACKFLOW__SNAPSHOTS__CRON"] = "0 0 0 1 1 ? 2099" };

    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    /// <summary>Runs a server CLI command against this server's data and catalog folders.</summary>
    public Task<ProcessResult> CliAsync(params string[] args) =>
        DotnetProcess.RunAsync(RepoPaths.ServerDll, [.. args, "--data", DataDirectory, "--catalog", CatalogDirectory], Root, environment: Environment);

    /// <summary>Runs a CLI command with --json and parses its output; fails with the full output when it did not succeed.</summary>
    public async Task<JsonElement> CliJsonAsync(params string[] args)
    {
        var result = await CliAsync([.. args, "--json"]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"backflow-server {string.Join(' ', args)} failed: {result}");
        }

        return JsonDocument.Parse(result.Output).RootElement;
    }

    public async Task StartAsync()
    {
        // A restart keeps the address, which enrolled agents have stored.
        BaseAddress ??= new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var info = DotnetProcess.StartInfo(RepoPaths.ServerDll, ["run", "--urls", BaseAddress.ToString(), "--data", DataDirectory, "--catalog", CatalogDirectory], Root, Environment);
        _host = Process.Start(info)!;
        _host.OutputDataReceived += (_, e) => Append(e.Data);
        _host.ErrorDataReceived += (_, e) => Append(e.Data);
        _host.BeginOutputReadLine();
        _host.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_host.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {_host.ExitCode} at start-up:\n{Log}");
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
            catch (TaskCanceledException)
            {
                // not answering yet
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the server did not answer /healthz within 60 s:\n{Log}");
    }

    /// <summary>Stops the HTTP host (e.g. so that it reads a changed catalog when started again).</summary>
    public async Task StopAsync()
    {
        if (_host is { HasExited: false })
        {
            _host.Kill(entireProcessTree: true);
            await _host.WaitForExitAsync();
        }

        _host?.Dispose();
        _host = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is { HasExited: false })
        {
            _host.Kill(entireProcessTree: true);
            await _host.WaitForExitAsync();
        }

        _host?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a child process may still hold a file for a moment; the OS cleans temp folders
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Add(line);
        }
    }
}
