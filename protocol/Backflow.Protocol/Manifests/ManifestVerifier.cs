namespace Backflow.Protocol.Manifests;

/// <summary>
/// Verifies signed manifests against the keys an agent pinned at enrollment. A manifest is accepted when at
/// least one of its signatures is by a trusted key and verifies; several trusted keys allow key rotation.
/// </summary>
public sealed class ManifestVerifier
{
    private readonly Dictionary<string, TrustedKey> _keys;

    /// <summary>Creates a verifier that trusts <paramref name="trustedKeys"/>.</summary>
    /// <exception cref="ArgumentException">No key was given: such a verifier could accept nothing.</exception>
    public ManifestVerifier(IEnumerable<TrustedKey> trustedKeys)
    {
        ArgumentNullException.ThrowIfNull(trustedKeys);
        _keys = trustedKeys.DistinctBy(k => k.KeyId).ToDictionary(k => k.KeyId, StringComparer.Ordinal);
        if (_keys.Count == 0)
        {
            throw new ArgumentException("no trusted keys; pin the server's key at enrollment (`backflow-server keys show --pem`)", nameof(trustedKeys));
        }
    }

    /// <summary>The keys this verifier trusts.</summary>
    public IReadOnlyCollection<TrustedKey> TrustedKeys => _keys.Values;

    /// <summary>Verifies envelope JSON as downloaded.</summary>
    public ManifestVerification Verify(ReadOnlySpan<byte> envelopeJson)
    {
        DsseEnvelope envelope;
        try
        {
            envelope = Dsse.Deserialize(envelopeJson);
        }
        catch (FormatException e)
        {
            return ManifestVerification.Fail(VerificationFailureKind.MalformedEnvelope, e.Message);
        }

        return Verify(envelope);
    }

    /// <summary>Verifies a parsed envelope.</summary>
    public ManifestVerification Verify(DsseEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (!string.Equals(envelope.PayloadType, Manifest.PayloadType, StringComparison.Ordinal))
        {
            return ManifestVerification.Fail(
                VerificationFailureKind.WrongPayloadType,
                $"the envelope's payload type is '{envelope.PayloadType}', not '{Manifest.PayloadType}'; it does not hold a manifest");
        }

        if (!Dsse.TryDecodeBase64(envelope.Payload, out var payload))
        {
            return ManifestVerification.Fail(VerificationFailureKind.MalformedEnvelope, "the envelope's payload is not valid base64");
        }

        if (envelope.Signatures is null || envelope.Signatures.Count == 0)
        {
            return ManifestVerification.Fail(VerificationFailureKind.MalformedEnvelope, "the envelope has no signatures");
        }

        var pae = Dsse.PreAuthenticationEncoding(envelope.PayloadType, payload);
        var rejected = new List<string>();
        for (var i = 0; i < envelope.Signatures.Count; i++)
        {
            var signature = envelope.Signatures[i];
            if (!Dsse.TryDecodeBase64(signature?.Sig, out var sig))
            {
                return ManifestVerification.Fail(VerificationFailureKind.MalformedEnvelope, $"signature {i + 1} of the envelope is not valid base64");
            }

            // DSSE makes keyid an optional hint; without one every trusted key is tried.
            IEnumerable<TrustedKey> candidates = string.IsNullOrEmpty(signature!.KeyId)
                ? _keys.Values
                : _keys.TryGetValue(signature.KeyId, out var named) ? [named] : [];
            foreach (var key in candidates)
            {
                if (key.Verify(pae, sig))
                {
                    return Accept(payload, key);
                }

                rejected.Add(key.Fingerprint);
            }
        }

        if (rejected.Count > 0)
        {
            return ManifestVerification.Fail(
                VerificationFailureKind.BadSignature,
                $"the signature by trusted key {string.Join(", ", rejected.Distinct())} does not match the manifest; it was altered or damaged in transit. Download it again; if this persists, tell the server operator");
        }

        var signers = envelope.Signatures.Select(s => string.IsNullOrEmpty(s.KeyId) ? "(no key id)" : Abbreviate(s.KeyId));
        return ManifestVerification.Fail(
            VerificationFailureKind.UnknownKey,
            $"signed by key {string.Join(", ", signers)} which is not among the {_keys.Count} trusted key(s) ({string.Join(", ", _keys.Values.Select(k => k.Fingerprint))}); compare fingerprints with `backflow-server keys show`, and pin the new key only if the server operator confirms it");
    }

    private static ManifestVerification Accept(byte[] payload, TrustedKey key)
    {
        try
        {
            return ManifestVerification.Success(ManifestSerializer.Deserialize(payload), key);
        }
        catch (ManifestFormatException e)
        {
            return ManifestVerification.Fail(VerificationFailureKind.MalformedManifest, $"signed by trusted key {key.Fingerprint}, but {e.Message}");
        }
    }

    private static string Abbreviate(string keyId) => keyId.Length > 8 ? keyId[..8] + "…" : keyId;
}
