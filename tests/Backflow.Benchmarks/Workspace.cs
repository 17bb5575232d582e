namespace Backflow.Benchmarks;

/// <summary>A temporary folder for one benchmark run; removed at the end unless --keep.</summary>
internal sealed class Workspace : IDisposable
{
    private readonly bool _keep;

    public Workspace(string? parent, bool keep)
    {
        _keep = keep;
        Root = Path.Combine(parent ?? Path.GetTempPath(), "backflow-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string File(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        if (_keep)
        {
            Console.WriteLine("kept " + Root);
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException e)
        {
            Console.WriteLine($"could not remove {Root}: {e.Message}");
        }
    }
}
