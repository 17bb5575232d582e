namespace Backflow.Protocol.Extracts;

/// <summary>
/// Thrown when a stream is not a valid extract of the expected dataset: not Parquet at all, missing or
/// malformed Backflow metadata, a schema that differs from the catalog, or rows that break the extract rules.
/// The message says what was wrong and where (row group, row, column).
/// </summary>
public sealed class ExtractFormatException : Exception
{
    /// <summary>Creates the exception with a message a person can act on.</summary>
    public ExtractFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public ExtractFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message; prefer the overloads that say what was wrong.</summary>
    public ExtractFormatException()
        : base("the stream is not a valid Backflow extract")
    {
    }
}
