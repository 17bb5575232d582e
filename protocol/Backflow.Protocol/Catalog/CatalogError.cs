namespace Backflow.Protocol.Catalog;

/// <summary>One problem found in a catalog file.</summary>
/// <param name="Source">The file (or other source name) that was read.</param>
/// <param name="Field">JSON path of the offending field, e.g. <c>columns[2].type</c>.</param>
/// <param name="Reason">What is wrong and how to fix it.</param>
public sealed record CatalogError(string Source, string Field, string Reason)
{
    /// <summary>Formats the error as <c>file: field: reason</c>.</summary>
    public override string ToString() => $"{Source}: {Field}: {Reason}";
}
