namespace Backflow.Agent.Loading;

/// <summary>A column of an existing table as the database describes it (<paramref name="KeyPosition"/> 0: not in the key).</summary>
internal sealed record StoredColumn(string Name, string Type, bool NotNull, int KeyPosition);
