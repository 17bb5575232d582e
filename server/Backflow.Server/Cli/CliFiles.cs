using Backflow.Server.Hosting;

namespace Backflow.Server.Cli;

/// <summary>Checks on the files commands are given, so that every command words a missing file the same way.</summary>
internal static class CliFiles
{
    /// <summary>Refuses a file that is not there, naming the option and the full path it was resolved to.</summary>
    public static void RequireFile(FileInfo file, string option)
    {
        if (Directory.Exists(file.FullName))
        {
            throw new UserError($"{option}: '{file.FullName}' is a folder; give the path of a file in it");
        }

        if (!file.Exists)
        {
            throw new UserError($"{option}: file '{file.FullName}' does not exist");
        }
    }

    /// <inheritdoc cref="RequireFile(FileInfo, string)"/>
    public static void RequireFile(string path, string option) => RequireFile(new FileInfo(path), option);
}
