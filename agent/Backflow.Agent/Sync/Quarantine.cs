using Backflow.Agent.Enrollment;
using Backflow.Agent.Verification;

namespace Backflow.Agent.Sync;

/// <summary>
/// Keeps rejected files for an operator to examine: the file (or the rejected manifest when nothing was downloaded)
/// plus <c>&lt;file&gt;.reason.txt</c> saying why. Files are moved out of staging so that a retry downloads afresh.
/// </summary>
internal sealed class Quarantine(StateFolder state, TimeProvider time)
{
    public string Put(string name, string? sourceFile, ReadOnlySpan<byte> manifest, RejectedException rejection, string feed)
    {
        Directory.CreateDirectory(state.QuarantineDirectory);

        // A timestamp prefix keeps repeated failures of one sequence apart instead of overwriting the evidence.
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var target = Path.Combine(state.QuarantineDirectory, $"{stamp}.{name}");
        for (var n = 2; File.Exists(target + ".reason.txt"); n++)
        {
            target = Path.Combine(state.QuarantineDirectory, $"{stamp}-{n}.{name}");
        }

        if (sourceFile is not null && File.Exists(sourceFile))
        {
            File.Move(sourceFile, target, overwrite: true);
            File.WriteAllBytes(target + ".manifest.json", manifest.ToArray());
        }
        else
        {
            File.WriteAllBytes(target, manifest.ToArray());
        }

        File.WriteAllText(
            target + ".reason.txt",
            $"feed: {feed}\nreason: {rejection.Reason}\nmessage: {rejection.Message}\nat: {time.GetUtcNow():O}\n");
        return target;
    }
}
