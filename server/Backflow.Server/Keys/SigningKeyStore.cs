using Backflow.Protocol.Manifests;
using Backflow.Server.Hosting;

namespace Backflow.Server.Keys;

/// <summary>
/// The server's manifest signing key: created on first use as <c>&lt;data&gt;/keys/signing-key.pem</c> with
/// owner-only permissions, loaded from there afterwards. Agents pin its public key at enrollment.
/// </summary>
internal sealed class SigningKeyStore(ServerPaths paths) : IDisposable
{
    private readonly Lock _gate = new();
    private SigningKey? _key;

    public string KeyFile => Path.Combine(paths.KeysDirectory, "signing-key.pem");

    public SigningKey Current
    {
        get
        {
            lock (_gate)
            {
                return _key ??= LoadOrCreate();
            }
        }
    }

    /// <summary>The public keys agents should trust (today one; a list so that key rotation needs no protocol change).</summary>
    public IReadOnlyList<TrustedKey> TrustedKeys => [Current.PublicKey];

    public void Dispose() => _key?.Dispose();

    private SigningKey LoadOrCreate()
    {
        if (File.Exists(KeyFile))
        {
            return SigningKey.ImportPkcs8Pem(File.ReadAllText(KeyFile));
        }

        Directory.CreateDirectory(paths.KeysDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(paths.KeysDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var key = SigningKey.Generate();
        var temp = KeyFile + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created owner-only from the first byte, never readable by others even for an instant.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(temp);
        using (var writer = new StreamWriter(new FileStream(temp, options)))
        {
            writer.Write(key.ExportPkcs8Pem());
        }

        try
        {
            // Two processes racing on first use: the first rename wins and both use its key.
            File.Move(temp, KeyFile, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(KeyFile))
        {
            key.Dispose();
            File.Delete(temp);
            return SigningKey.ImportPkcs8Pem(File.ReadAllText(KeyFile));
        }
    }
}
