using System.Text.Json.Serialization;

namespace Backflow.Protocol.Manifests;

/// <summary>
/// Source-generated (reflection-free, trimming-safe) JSON for manifests and envelopes. Unknown properties are
/// ignored (the default) so that a v1 agent still reads manifests from a newer server that adds optional
/// fields; the signature covers the exact bytes either way. Duplicate properties are rejected because two
/// parsers that pick different duplicates would disagree about what was signed.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ManifestDocument))]
[JsonSerializable(typeof(DsseEnvelope))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
