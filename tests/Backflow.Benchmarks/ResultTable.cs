using System.Globalization;
using System.Text;

namespace Backflow.Benchmarks;

/// <summary>The results of one run as a Markdown table, printed as each row arrives and written to a file at the end.</summary>
internal sealed class ResultTable
{
    private readonly List<string[]> _rows = [];

    public static string Rate(long rows, TimeSpan elapsed) =>
        (rows / elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture) + " rows/s";

    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    public static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("N0", CultureInfo.InvariantCulture) + " MB";

    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    public void Add(string benchmark, string measured, string value, string baseline, string ratio, string target)
    {
        string[] row = [benchmark, measured, value, baseline, ratio, target];
        _rows.Add(row);
        Console.WriteLine("  " + string.Join(" | ", row));
    }

    public string ToMarkdown(string heading)
    {
        var text = new StringBuilder();
        text.AppendLine(heading).AppendLine();
        text.AppendLine("| benchmark | measured | value | baseline (same run) | ratio | target |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in _rows)
        {
            text.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }

        return text.ToString();
    }
}
