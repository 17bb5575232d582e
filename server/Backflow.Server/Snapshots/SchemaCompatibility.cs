namespace Backflow.Server.Snapshots;

/// <summary>
/// Tells an additive schema change from a breaking one by comparing canonical schema texts: the schema text lists
/// columns in catalog order, one line each, so appending nullable columns yields the old text followed only by
/// <c>column:…:null</c> lines. Anything else (a type, key, region, nullability change, a removed, renamed or
/// reordered column) changes the encoding of existing rows and needs a re-base.
/// </summary>
internal static class SchemaCompatibility
{
    public static bool IsAdditive(string oldText, string newText)
    {
        if (!newText.StartsWith(oldText, StringComparison.Ordinal))
        {
            return false;
        }

        var added = newText[oldText.Length..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return added.All(line => line.StartsWith("column:", StringComparison.Ordinal) && line.EndsWith(":null", StringComparison.Ordinal));
    }

    /// <summary>The lines that differ, for an error message a publisher can act on.</summary>
    public static string Describe(string oldText, string newText)
    {
        var before = oldText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var after = newText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var removed = before.Except(after, StringComparer.Ordinal).Select(l => "-" + l);
        var added = after.Except(before, StringComparer.Ordinal).Select(l => "+" + l);
        var changes = removed.Concat(added).ToArray();
        return changes.Length == 0 ? "columns were reordered" : string.Join("; ", changes);
    }
}
