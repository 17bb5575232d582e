namespace Backflow.Protocol.Catalog;

/// <summary>One column of a catalogued dataset.</summary>
/// <param name="Name">Column name: lowercase letters, digits and underscores, starting with a letter.</param>
/// <param name="Type">The logical type.</param>
/// <param name="Nullable">Whether the column may hold null. Key and region columns may not.</param>
/// <param name="Description">Human description (usually Chinese), shown to operators.</param>
/// <param name="Sensitive">Marks personal or otherwise sensitive data (e.g. ID numbers).</param>
public sealed record ColumnDefinition(string Name, LogicalType Type, bool Nullable, string? Description = null, bool Sensitive = false);
