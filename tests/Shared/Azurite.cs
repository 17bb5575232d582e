using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Backflow.Testing;

/// <summary>
/// Azurite's blob service on a free loopback port, in memory, started once per test process on first use and stopped
/// when the process exits (or, should it die, when its pipe to the emulator closes). Each test takes its own container.
/// Azurite is installed by <c>bash tests/run.sh</c> (<c>npm ci</c> in <c>tests/tools/azurite</c>); without it the tests
/// fail and say so, they never skip.
/// </summary>
internal sealed class Azurite
{
    /// <summary>Azurite's well-known development account; it guards nothing but the emulator.</summary>
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<Azurite> Instance = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private Azurite(int port, TimeSpan startup)
    {
        BlobEndpoint = new Uri($"http://127.0.0.1:{port}/{AccountName}");
        Startup = startup;
    }

    public static Azurite Shared => Instance.Value;

    public static string Folder => System.IO.Path.Combine(RepoRoot.Path, "tests", "tools", "azurite");

    public Uri BlobEndpoint { get; }

    /// <summary>How long the emulator took to listen (printed once, for the record).</summary>
    public TimeSpan Startup { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};";

    /// <summary>A container name no other test uses.</summary>
    public static string NewContainer() => "t" + Guid.NewGuid().ToString("N")[..20];

    private static Azurite Start()
    {
        var main = System.IO.Path.Combine(Folder, "node_modules", "azurite", "dist", "src", "blob", "main.js");
        if (!File.Exists(main))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed ({main} is missing). Run `bash tests/run.sh`, which installs it, or `npm ci --prefix tests/tools/azurite`.");
        }

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                return StartOnce();
            }
            catch (InvalidOperationException e)
            {
                last = e; // most likely the free port was taken between finding and binding it
            }
        }

        throw new InvalidOperationException("Azurite did not start: " + last!.Message, last);
    }

    private static Azurite StartOnce()
    {
        var port = LoopbackPorts.Free();
        var clock = Stopwatch.StartNew();
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "run.js", "--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     // The SDK speaks a newer service version than the emulator knows; the calls used here are old ones.
                     "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent",
                 })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (!Listening(port))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                Stop(process);
                lock (output)
                {
                    throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{port} within {clock.Elapsed.TotalSeconds:0}s: {output}");
                }
            }

            Thread.Sleep(50);
        }

        var azurite = new Azurite(port, clock.Elapsed);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(process);
        Console.WriteLine($"[azurite] listening on 127.0.0.1:{port} after {azurite.Startup.TotalSeconds:0.0} s");
        return azurite;
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(5000))
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
