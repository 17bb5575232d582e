using Backflow.Server.Demo;
using Backflow.Server.Hosting;

namespace Backflow.Server.Tests.Demo;

public sealed class DemoFolderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "backflow-demo-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void Demo_refuses_to_wipe_a_folder_it_did_not_make()
    {
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "precious.db"), "someone's data");

        var error = Assert.Throws<UserError>(() => DemoFolder.Recreate(_root));

        Assert.Contains(DemoFolder.MarkerName, error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_root, "precious.db")));
    }

    [Fact]
    public void Demo_wipes_the_folder_a_previous_demo_left()
    {
        var first = DemoFolder.Recreate(_root);
        Directory.CreateDirectory(first.ServerData);
        File.WriteAllText(Path.Combine(first.ServerData, "metadata.db"), "old run");

        var second = DemoFolder.Recreate(_root);

        Assert.False(Directory.Exists(second.ServerData));
        Assert.True(File.Exists(Path.Combine(_root, DemoFolder.MarkerName)));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
