using Backflow.Server.Hosting;

namespace Backflow.Server.Demo;

/// <summary>
/// The demo's data folder, recreated on every run so the story starts from nothing. It is only ever wiped when it
/// is empty or carries the marker file a previous demo left: a mistyped --data must never delete someone's data.
/// </summary>
internal sealed class DemoFolder
{
    public const string DefaultPath = "./backflow-demo";
    public const string MarkerName = ".backflow-demo";

    private DemoFolder(string root) => Root = root;

    public string Root { get; }

    public string ServerData => Path.Combine(Root, "server");

    public string Agents => Path.Combine(Root, "agents");

    public string AgentState(int index) => Path.Combine(Agents, $"agent-{index + 1}");

    public static DemoFolder Recreate(string path)
    {
        var root = Path.GetFullPath(path);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            if (!File.Exists(Path.Combine(root, MarkerName)))
            {
                throw new UserError(
                    $"'{root}' exists, is not empty and was not made by `demo` (no {MarkerName} file in it); the demo wipes its folder on every run, " +
                    "so give it a new or empty folder with --data, e.g. --data ./backflow-demo");
            }

            Directory.Delete(root, recursive: true);
        }

        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, MarkerName), "Made by `backflow-server demo`; the next demo run deletes this folder and everything in it.\n");
        return new DemoFolder(root);
    }
}
