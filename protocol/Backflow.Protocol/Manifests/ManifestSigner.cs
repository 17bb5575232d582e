namespace Backflow.Protocol.Manifests;

/// <summary>Signs manifests into DSSE envelopes.</summary>
public static class ManifestSigner
{
    /// <summary>Serializes <paramref name="manifest"/> and signs it with <paramref name="key"/>.</summary>
    /// <exception cref="ManifestFormatException">The manifest holds a value no agent would accept.</exception>
    public static DsseEnvelope Sign(Manifest manifest, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var payload = ManifestSerializer.Serialize(manifest);
        var signature = key.Sign(Dsse.PreAuthenticationEncoding(Manifest.PayloadType, payload));
        return new DsseEnvelope(
            Manifest.PayloadType,
            Convert.ToBase64String(payload),
            [new DsseSignature { KeyId = key.KeyId, Sig = Convert.ToBase64String(signature) }]);
    }
}
