namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>Compares column values as the tests' oracle reads them: binary columns by content, the rest by value.</summary>
internal sealed class ValueComparer : IEqualityComparer<object?>
{
    public static readonly ValueComparer Instance = new();

    public new bool Equals(object? x, object? y) =>
        x is byte[] a && y is byte[] b ? a.AsSpan().SequenceEqual(b) : object.Equals(x, y);

    public int GetHashCode(object? obj) => obj is byte[] bytes ? bytes.Length : obj?.GetHashCode() ?? 0;
}
