using Backflow.EndToEnd.Tests.Kit;

namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>Copies of an enrolled agent's state folder, so that each trial starts from the same point without enrolling again.</summary>
internal static class AgentClone
{
    /// <summary>The template's enrollment (token, keys, settings); with <paramref name="withData"/> also its database.</summary>
    public static AgentProcess Of(AgentProcess template, string root, string name, bool withData)
    {
        var clone = new AgentProcess(root, name);
        Copy(template.StateDirectory, clone.StateDirectory, withData);
        return clone;
    }

    private static void Copy(string from, string to, bool withData)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var name = Path.GetFileName(file);
            if (withData || !name.StartsWith("backflow.db", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(to, name));
            }
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(directory);
            if (name is not ("staging" or "quarantine"))
            {
                Copy(directory, Path.Combine(to, name), withData);
            }
        }
    }
}
