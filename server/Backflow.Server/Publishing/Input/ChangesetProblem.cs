using System.Globalization;
using System.Text;

namespace Backflow.Server.Publishing.Input;

/// <summary>One thing wrong with a publisher's changeset, in words the publisher can act on.</summary>
/// <param name="Row">1-based data row; 0 for the header (or the Parquet schema); null when it concerns the whole file.</param>
/// <param name="Column">The catalog or file column concerned, if any.</param>
/// <param name="Value">The offending value as the publisher wrote it, if any.</param>
/// <param name="Rule">The rule broken and, where possible, how to fix it.</param>
/// <param name="File">Which file, when the changeset has more than one (e.g. "deletes file"); null for the changes file.</param>
internal sealed record ChangesetProblem(long? Row, string? Column, string? Value, string Rule, string? File = null)
{
    /// <summary>Values longer than this are cut so that one bad megabyte field cannot flood a report.</summary>
    public const int MaxValueLength = 60;

    public override string ToString()
    {
        var text = new StringBuilder();
        if (File is not null)
        {
            text.Append(File).Append(", ");
        }

        text.Append(Row switch
        {
            null => "file",
            0 => "header",
            _ => "row " + Row.Value.ToString(CultureInfo.InvariantCulture),
        });
        if (Column is not null)
        {
            text.Append(", column ").Append(Column);
        }

        if (Value is not null)
        {
            text.Append(", value \"").Append(Shorten(Value)).Append('"');
        }

        return text.Append(": ").Append(Rule).ToString();
    }

    internal static string Shorten(string value)
    {
        var cut = value.Length > MaxValueLength ? string.Concat(value.AsSpan(0, MaxValueLength), "…") : value;

        // Line breaks inside a quoted field would split the one-line message a person scans.
        return cut.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }
}
