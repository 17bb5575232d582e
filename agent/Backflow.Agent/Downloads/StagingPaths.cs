using Backflow.Protocol.Manifests;

namespace Backflow.Agent.Downloads;

/// <summary>Where an extract is staged: <c>&lt;name&gt;.part</c> while it downloads, <c>&lt;name&gt;</c> once verified.</summary>
internal static class StagingPaths
{
    public static string Final(string staging, Manifest manifest)
    {
        var name = manifest.File.Name;

        // The name comes from the server; a path in it must never let a download write outside staging.
        if (name.Length == 0 || !string.Equals(Path.GetFileName(name), name, StringComparison.Ordinal) || name is "." or "..")
        {
            throw new InvalidDataException($"the manifest's file name '{name}' is not a plain file name");
        }

        return Path.Combine(staging, name);
    }

    public static string Part(string staging, Manifest manifest) => Final(staging, manifest) + ".part";
}
