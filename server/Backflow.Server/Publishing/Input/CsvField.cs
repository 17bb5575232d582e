namespace Backflow.Server.Publishing.Input;

/// <summary>
/// Interprets one raw RFC 4180 field as Sep hands it over with unescaping off. Sep already splits records and
/// fields correctly around quotes; it is read raw only because CSV gives null and "" different spellings
/// (an empty unquoted field is null, a quoted "" is the empty string) and an unescaped field loses that.
/// </summary>
internal static class CsvField
{
    /// <summary>Returns the field's text (null for an empty unquoted field), or false with the quoting rule broken.</summary>
    public static bool TryRead(ReadOnlySpan<char> raw, out string? text, out string? error)
    {
        char[] scratch = [];
        var ok = TryRead(raw, ref scratch, out var chars, out var isNull, out error);
        text = isNull ? null : chars.ToString();
        return ok;
    }

    /// <summary>
    /// The field's characters without allocating a string: a slice of <paramref name="raw"/>, or for a quoted field with
    /// doubled quotes, of <paramref name="scratch"/> (grown when too small). <paramref name="isNull"/> is true for an empty
    /// unquoted field. On false, <paramref name="text"/> is the raw field, to show in the problem.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<char> raw, ref char[] scratch, out ReadOnlySpan<char> text, out bool isNull, out string? error)
    {
        error = null;
        isNull = raw.IsEmpty;
        text = raw;
        if (raw.IsEmpty)
        {
            return true;
        }

        if (raw[0] != '"')
        {
            if (raw.Contains('"'))
            {
                error = "a quote inside an unquoted field; enclose the whole field in quotes and double the quotes inside it, e.g. \"say \"\"hi\"\"\"";
                return false;
            }

            return true;
        }

        if (raw.Length < 2 || raw[^1] != '"')
        {
            error = "a quoted field must end right after its closing quote (is a quote missing or not doubled?)";
            return false;
        }

        var inner = raw[1..^1];
        if (!inner.Contains('"'))
        {
            text = inner;
            return true;
        }

        if (scratch.Length < inner.Length)
        {
            scratch = new char[inner.Length];
        }

        var length = 0;
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '"')
            {
                if (i + 1 >= inner.Length || inner[i + 1] != '"')
                {
                    error = "a single quote inside a quoted field; double it (\"\") to write a quote character";
                    return false;
                }

                i++;
            }

            scratch[length++] = inner[i];
        }

        text = scratch.AsSpan(0, length);
        return true;
    }
}
