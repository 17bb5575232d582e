using Backflow.Server.Storage;

namespace Backflow.Server.Publishing;

/// <summary>
/// Best-effort removal of what a publish, snapshot or re-base that did not commit leaves behind: extracts already moved
/// into the store (invisible without their manifests) and its staging folder. A failure to remove is harmless — the
/// names are unique and unreferenced, and the staging clean-up job removes leftovers — so it never hides the error
/// that stopped the work.
/// </summary>
internal static class Leftovers
{
    public static async Task DeleteAsync(IExtractStore store, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            try
            {
                await store.DeleteAsync(name, CancellationToken.None);
            }
            catch (IOException)
            {
                // Unreferenced and uniquely named: harmless if it stays.
            }
        }
    }

    public static void DeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Staging leftovers are removed by the staging clean-up job.
        }
    }
}
