using System.Runtime.InteropServices;

namespace Backflow.Server.Rows;

/// <summary>
/// Flushes a folder's entries to disk, so that a file created in it survives a power loss together with its contents
/// (POSIX asks for an fsync of the folder as well as of the file). .NET has no call for it. On Windows, NTFS journals
/// the folder's entries itself, and a folder cannot be opened this way, so there it does nothing.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY

    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"could not open {directory} to flush it to disk (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"could not flush {directory} to disk (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    // DllImport rather than LibraryImport: the latter's generated code needs unsafe blocks, which this project does not allow.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
