using System.Text;

namespace Backflow.Server.Publishing.Input;

/// <summary>
/// The text encodings a CSV changeset may use, made strict: a byte sequence that is not valid text must become
/// a reported problem, never a silent U+FFFD inside published data.
/// </summary>
internal static class ChangesetEncodings
{
    static ChangesetEncodings()
    {
        // GB18030 lives in the code-pages provider, which .NET ships but does not register by default.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>What to do about text that does not decode: names the option, since Excel on Chinese Windows saves
    /// "CSV" as GBK and a publisher's first try is typically exactly that.</summary>
    public const string Advice =
        "the text is not valid in the declared encoding (UTF-8 unless --encoding or ?encoding= says otherwise); save the file as UTF-8, "
        + "or, if it was saved as GBK/GB18030 (Excel's CSV on Chinese Windows), publish it with --encoding gb18030 (HTTP: ?encoding=gb18030)";

    /// <summary>UTF-8; a leading byte order mark is accepted and skipped.</summary>
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);

    /// <summary>GB18030, common in exports from Chinese office software.</summary>
    public static Encoding Gb18030 => Strict(Encoding.GetEncoding("GB18030"));

    /// <summary>Returns <paramref name="encoding"/> with exception fallbacks (and BOM skipping for UTF-8).</summary>
    public static Encoding Strict(Encoding? encoding)
    {
        if (encoding is null || encoding.CodePage == Encoding.UTF8.CodePage)
        {
            return Utf8;
        }

        return Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }
}
