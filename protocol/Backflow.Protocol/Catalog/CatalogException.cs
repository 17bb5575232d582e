namespace Backflow.Protocol.Catalog;

/// <summary>Thrown when a catalog file is not a valid dataset definition; lists every problem found.</summary>
public sealed class CatalogException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public CatalogException(IReadOnlyList<CatalogError> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found, in file order.</summary>
    public IReadOnlyList<CatalogError> Errors { get; }

    private static string Format(IReadOnlyList<CatalogError> errors) =>
        errors.Count == 1
            ? $"invalid catalog entry: {errors[0]}"
            : $"invalid catalog entry ({errors.Count} problems):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors);
}
