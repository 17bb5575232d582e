using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Backflow.Protocol.Manifests;

/// <summary>DSSE primitives: the pre-authentication encoding, base64 decoding and envelope JSON.</summary>
public static class Dsse
{
    /// <summary>
    /// PAE(type, body) = <c>"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</c>, where LEN is the ASCII
    /// decimal byte length. Signing this instead of the bare payload binds the payload type into the signature.
    /// </summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} "));
        var result = new byte[header.Length + type.Length + middle.Length + payload.Length];
        var span = result.AsSpan();
        header.CopyTo(span);
        type.CopyTo(span[header.Length..]);
        middle.CopyTo(span[(header.Length + type.Length)..]);
        payload.CopyTo(span[(header.Length + type.Length + middle.Length)..]);
        return result;
    }

    /// <summary>Serializes an envelope to compact UTF-8 JSON.</summary>
    public static byte[] Serialize(DsseEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return JsonSerializer.SerializeToUtf8Bytes(envelope, ProtocolJsonContext.Wire.DsseEnvelope);
    }

    /// <summary>Parses envelope JSON; checks its shape only, not base64 or signatures.</summary>
    /// <exception cref="FormatException">The JSON is not a DSSE envelope; the message says why.</exception>
    public static DsseEnvelope Deserialize(ReadOnlySpan<byte> json)
    {
        DsseEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(json, ProtocolJsonContext.Wire.DsseEnvelope);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a DSSE envelope: {e.Message}", e);
        }

        if (envelope is null)
        {
            throw new FormatException("not a DSSE envelope: the document is JSON null");
        }

        if (envelope.Signatures.Count == 0)
        {
            throw new FormatException("not a DSSE envelope: it has no signatures");
        }

        return envelope;
    }

    /// <summary>
    /// Decodes DSSE base64. The specification asks readers to accept both the standard and the URL-safe
    /// alphabet, padded or not, since signers in other languages differ; writers here use standard padded base64.
    /// </summary>
    public static bool TryDecodeBase64(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null || text.Any(char.IsWhiteSpace))
        {
            return false;
        }

        var standard = text.Replace('-', '+').Replace('_', '/');
        if (standard.Length % 4 != 0)
        {
            standard = standard.PadRight(standard.Length + (4 - (standard.Length % 4)), '=');
        }

        var buffer = new byte[standard.Length / 4 * 3];
        if (!Convert.TryFromBase64String(standard, buffer, out var written))
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
