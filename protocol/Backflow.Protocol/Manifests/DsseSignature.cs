using System.Text.Json.Serialization;

namespace Backflow.Protocol.Manifests;

/// <summary>One signature of a DSSE envelope.</summary>
public sealed record DsseSignature
{
    /// <summary>The id of the signing key (lowercase hex SHA-256 of its SubjectPublicKeyInfo); optional in DSSE.</summary>
    [JsonPropertyName("keyid")]
    public string? KeyId { get; init; }

    /// <summary>The base64 signature over the envelope's pre-authentication encoding.</summary>
    [JsonPropertyName("sig")]
    public required string Sig { get; init; }
}
