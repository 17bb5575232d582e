namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>Prints a fault trial's tally to the test output and to stdout, so that it shows in the test log either way.</summary>
internal static class FaultTally
{
    public static void Print(ITestOutputHelper output, string name, string tally)
    {
        var line = $"[fault] {name}: {tally}";
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
