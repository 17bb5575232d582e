using System.Text;

namespace Backflow.Server.Demo;

/// <summary>
/// Writes changesets in the publish CSV dialect (RFC 4180, UTF-8): null is an empty unquoted field, and any
/// value with a comma, quote or line break is quoted, so the demo goes through the same reader as real publishers.
/// </summary>
internal static class DemoCsv
{
    public static string Write(IReadOnlyList<string> header, IEnumerable<string?[]> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', header.Select(Field)).Append('\n');
        foreach (var row in rows)
        {
            if (row.Length != header.Count)
            {
                throw new ArgumentException($"a row has {row.Length} values for {header.Count} columns", nameof(rows));
            }

            text.AppendJoin(',', row.Select(Field)).Append('\n');
        }

        return text.ToString();
    }

    private static string Field(string? value) =>
        value switch
        {
            null => string.Empty,
            "" => "\"\"",
            _ when value.AsSpan().IndexOfAny(",\"\r\n") >= 0 => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
            _ => value,
        };
}
