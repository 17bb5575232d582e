using System.Text;

namespace Backflow.Server.Publishing.Input;

/// <summary>
/// Tells CSV from Parquet by content, not by file name: publishers rename files, and a spreadsheet saved as
/// "data.csv" can still be binary.
/// </summary>
internal static class ChangesetFormatDetector
{
    /// <summary>How much of the start is inspected; enough to catch binary files, small enough to stay cheap.</summary>
    public const int SniffLength = 8192;

    private static ReadOnlySpan<byte> ParquetMagic => "PAR1"u8;

    /// <summary>The outcome: a format and a stream positioned at the start of the file, or an error.</summary>
    internal sealed record Result(ChangesetFormat? Format, Stream Stream, string? Error);

    public static async Task<Result> DetectAsync(Stream input, Encoding encoding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var start = input.CanSeek ? input.Position : 0;
        var buffer = new byte[SniffLength];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = await input.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (n == 0)
            {
                break;
            }

            length += n;
        }

        Stream rewound;
        if (input.CanSeek)
        {
            input.Position = start;
            rewound = input;
        }
        else
        {
            rewound = new PrefixedStream(buffer.AsMemory(0, length), input);
        }

        var head = buffer.AsSpan(0, length);
        if (head.StartsWith(ParquetMagic))
        {
            return new(ChangesetFormat.Parquet, rewound, null);
        }

        if (head.Contains((byte)0))
        {
            return new(null, rewound, "the file is neither CSV nor Parquet: it contains NUL bytes, so it is binary; upload CSV text or a Parquet file");
        }

        if (!DecodesAsText(head, endOfFile: length < buffer.Length, ChangesetEncodings.Strict(encoding)))
        {
            return new(null, rewound, $"the file is neither CSV nor Parquet: its first bytes are not valid {encoding.WebName} text. {ChangesetEncodings.Advice}; or upload Parquet");
        }

        return new(ChangesetFormat.Csv, rewound, null);
    }

    private static bool DecodesAsText(ReadOnlySpan<byte> head, bool endOfFile, Encoding strict)
    {
        var decoder = strict.GetDecoder();
        var chars = new char[strict.GetMaxCharCount(head.Length)];
        try
        {
            // Without flush a multi-byte character cut by the sniff window is held back, not reported as invalid.
            decoder.Convert(head, chars, flush: endOfFile, out _, out _, out _);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
