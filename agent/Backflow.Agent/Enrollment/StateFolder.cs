using System.Text.Json;
using Backflow.Protocol.Manifests;

namespace Backflow.Agent.Enrollment;

/// <summary>
/// The agent's state folder: <c>agent.json</c> (identity and token, owner-only), <c>trusted-keys/*.pem</c>,
/// <c>catalog/&lt;dataset&gt;.json</c>, <c>staging/</c> and <c>quarantine/</c>. Nothing else secret lives here.
/// </summary>
internal sealed class StateFolder(string root)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    // Owner-only on Unix; on Windows install-agent.ps1 gives the folder an ACL for the service account only.
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    public string Root { get; } = Path.GetFullPath(root);

    public string IdentityFile => Path.Combine(Root, "agent.json");

    public string KeysDirectory => Path.Combine(Root, "trusted-keys");

    public string CatalogDirectory => Path.Combine(Root, "catalog");

    public string QuarantineDirectory => Path.Combine(Root, "quarantine");

    public bool IsEnrolled => File.Exists(IdentityFile);

    public void EnsureCreated()
    {
        CreateDirectory(Root);
        CreateDirectory(KeysDirectory);
        CreateDirectory(CatalogDirectory);
        CreateDirectory(QuarantineDirectory);
    }

    public AgentIdentity ReadIdentity()
    {
        if (!IsEnrolled)
        {
            throw new NotEnrolledException(
                $"the agent is not enrolled: '{IdentityFile}' does not exist. Run `backflow-agent enroll --server <url> --code <code>` " +
                "with the code from the provincial operator, or pass the right --state folder.");
        }

        var identity = JsonSerializer.Deserialize<AgentIdentity>(File.ReadAllBytes(IdentityFile), Json);
        return identity ?? throw new NotEnrolledException($"'{IdentityFile}' is empty; enroll again.");
    }

    /// <summary>"agent X (regions R) of server S, enrolled at T": which enrollment a folder belongs to.</summary>
    public static string Describe(AgentIdentity identity) =>
        $"agent {identity.AgentId} (regions {identity.Regions}) of server {identity.ServerUrl}, enrolled at {identity.EnrolledAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)}";

    public void WriteIdentity(AgentIdentity identity) =>
        WriteOwnerOnly(IdentityFile, JsonSerializer.SerializeToUtf8Bytes(identity, Json));

    public IReadOnlyList<TrustedKey> ReadTrustedKeys()
    {
        if (!Directory.Exists(KeysDirectory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(KeysDirectory, "*.pem").Order(StringComparer.Ordinal).Select(f => TrustedKey.FromPem(File.ReadAllText(f)))];
    }

    /// <summary>Replaces the pinned keys with <paramref name="keys"/>; keys not in the list stop being trusted.</summary>
    public void WriteTrustedKeys(IEnumerable<TrustedKey> keys)
    {
        CreateDirectory(KeysDirectory);
        foreach (var old in Directory.EnumerateFiles(KeysDirectory, "*.pem"))
        {
            File.Delete(old);
        }

        foreach (var key in keys)
        {
            WriteOwnerOnly(Path.Combine(KeysDirectory, key.KeyId + ".pem"), System.Text.Encoding.ASCII.GetBytes(key.ToPem()));
        }
    }

    public string CatalogFile(string dataset) => Path.Combine(CatalogDirectory, dataset + ".json");

    private static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }

    private static void WriteOwnerOnly(string path, byte[] content)
    {
        // Write beside and rename so that a crash never leaves a half-written token or key.
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode only applies to new files; a leftover temporary may have kept looser bits.
            File.SetUnixFileMode(temporary, OwnerOnlyFile);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
