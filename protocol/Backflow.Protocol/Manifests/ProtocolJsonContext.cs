using System.Text.Encodings.Web;
using System.Text.Json;
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
internal sealed partial class ProtocolJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context to read and write with. The default encoder escapes <c>+</c>, <c>&lt;</c> and non-ASCII text
    /// for embedding in HTML, which these documents never are; writing them as-is keeps the payload type and
    /// Chinese text readable and easy for other implementations to reproduce.
    /// </summary>
    // Lazy: a static initializer here would run before the generated context's own static state exists.
    public static ProtocolJsonContext Wire => field ??= CreateWire();

    private static ProtocolJsonContext CreateWire()
    {
        var options = new JsonSerializerOptions(Default.GeneratedSerializerOptions!)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        return new ProtocolJsonContext(options);
    }
}
