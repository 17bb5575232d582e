using System.Text.Json.Serialization;

namespace Backflow.Protocol.Manifests;

/// <summary>
/// A DSSE envelope (https://github.com/secure-systems-lab/dsse): a typed payload and signatures over its
/// pre-authentication encoding (see <see cref="Dsse.PreAuthenticationEncoding"/>). Values are kept as they are
/// on the wire (base64 text), so that an envelope read and written again is unchanged.
/// </summary>
/// <param name="PayloadType">The media type of the payload, e.g. <see cref="Manifest.PayloadType"/>.</param>
/// <param name="Payload">The payload bytes in base64.</param>
/// <param name="Signatures">One or more signatures.</param>
public sealed record DsseEnvelope(
    [property: JsonPropertyName("payloadType")] string PayloadType,
    [property: JsonPropertyName("payload")] string Payload,
    [property: JsonPropertyName("signatures")] IReadOnlyList<DsseSignature> Signatures);
