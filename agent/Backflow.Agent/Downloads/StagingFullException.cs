namespace Backflow.Agent.Downloads;

/// <summary>
/// The staging folder could not take the rest of a download (disk full, quota, or file size limit). An
/// <see cref="IOException"/> so that the sync reports it like an outage: not the feed's fault, never a reason to block it.
/// </summary>
internal sealed class StagingFullException(string message, Exception inner) : IOException(message, inner)
{
    /// <summary>Whether an exception from writing a file means there is no room for it.</summary>
    public static bool IsNoSpace(Exception e) => e switch
    {
        // .NET reports EFBIG (file larger than RLIMIT_FSIZE or the file system allows) as an out-of-range length.
        ArgumentOutOfRangeException => true,
        IOException io when OperatingSystem.IsWindows() => (io.HResult & 0xFFFF) is 0x27 or 0x70, // ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
        IOException io => io.HResult is 27 or 28 or 122, // EFBIG, ENOSPC, EDQUOT (Linux)
        _ => false,
    };
}
