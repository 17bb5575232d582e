using Spectre.Console;

namespace Backflow.Agent.Cli;

/// <summary>Spectre consoles over the command's writer, so tests and redirected output get plain text.</summary>
internal static class Consoles
{
    public static IAnsiConsole For(TextWriter writer)
    {
        var terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });

        // Redirected output (a log file, a ticket) should not wrap columns at 80 characters.
        if (!terminal)
        {
            console.Profile.Width = 240;
        }

        return console;
    }
}
