namespace Backflow.Protocol.Manifests;

/// <summary>Thrown when a manifest is malformed or carries an invalid value; names the field.</summary>
public sealed class ManifestFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    /// <param name="field">The JSON path of the field, e.g. <c>file.sha256</c>; empty for the whole document.</param>
    /// <param name="reason">What is wrong with it.</param>
    /// <param name="innerException">The parser's exception, if any.</param>
    public ManifestFormatException(string field, string reason, Exception? innerException = null)
        : base(field.Length == 0 ? $"invalid manifest: {reason}" : $"invalid manifest field '{field}': {reason}", innerException)
    {
        Field = field;
    }

    /// <summary>The JSON path of the offending field, e.g. <c>file.sha256</c>; empty when the document as a whole is malformed.</summary>
    public string Field { get; }
}
