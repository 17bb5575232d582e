using System.Runtime.InteropServices;

namespace Backflow.Server.Storage;

/// <summary>
/// Renames a file only if the target name is free, in one atomic step: Linux <c>renameat2(RENAME_NOREPLACE)</c>.
/// .NET has no such call: on Linux <c>File.Move(overwrite: false)</c> checks for the target and then renames, which two
/// racing publishers can both pass.
/// </summary>
/// <remarks>
/// It replaces claiming the name with an empty file first and renaming over it: that created a second file per extract,
/// and on ext4 each new file searches the inode table past recently deleted ones. A publish over 3,100 counties commits
/// 3,100 extracts, one after another.
/// </remarks>
internal static class NoReplaceRename
{
    private const int CurrentDirectory = -100;  // AT_FDCWD
    private const uint NoReplace = 1;           // RENAME_NOREPLACE
    private const int NotPermitted = 1;         // EPERM: a sandbox (seccomp) that forbids the call
    private const int Exists = 17;              // EEXIST
    private const int OtherDevice = 18;         // EXDEV: staging and extracts on different file systems
    private const int NotSupported = 22;        // EINVAL: the file system cannot do it
    private const int NoSuchCall = 38;          // ENOSYS: a kernel older than 3.15
    private const int OperationNotSupported = 95; // EOPNOTSUPP

    /// <summary>Moves <paramref name="source"/> to <paramref name="target"/>.</summary>
    /// <returns>True when moved; false when <paramref name="target"/> exists (nothing moved); null when this system or
    /// file system cannot rename this way, and the caller must use another.</returns>
    public static bool? TryMove(string source, string target)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            if (RenameAt2(CurrentDirectory, source, CurrentDirectory, target, NoReplace) == 0)
            {
                return true;
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null; // a C library older than glibc 2.28, or one not found as "libc"
        }

        return Marshal.GetLastPInvokeError() switch
        {
            Exists => false,
            NotPermitted or OtherDevice or NotSupported or NoSuchCall or OperationNotSupported => null,
            var errno => throw new IOException($"could not move {source} to {target} (errno {errno})"),
        };
    }

    // DllImport rather than LibraryImport: the latter's generated code needs unsafe blocks, which this project does not allow.
    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int oldDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath,
        int newDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, uint flags);
}
