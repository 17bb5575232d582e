using Backflow.Server.Storage;

namespace Backflow.Server.Tests.Storage;

/// <summary>
/// The file system store's commit relies on <see cref="NoReplaceRename"/> on Linux (CI runs there): it must move a file
/// to a free name, and leave both files untouched when the name is taken.
/// </summary>
public sealed class NoReplaceRenameTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backflow-rename-").FullName;

    [Fact]
    public void Moves_to_a_free_name_and_refuses_a_taken_one_leaving_both_files_as_they_were()
    {
        var first = Write("first", "1");
        var second = Write("second", "2");
        var target = Path.Combine(_folder, "target");
        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere it declines, and the store claims the name with an exclusive create first.
            Assert.Null(NoReplaceRename.TryMove(first, target));
            return;
        }

        Assert.True(NoReplaceRename.TryMove(first, target));
        Assert.False(NoReplaceRename.TryMove(second, target));

        Assert.False(File.Exists(first));
        Assert.Equal("1", File.ReadAllText(target));
        Assert.Equal("2", File.ReadAllText(second));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
