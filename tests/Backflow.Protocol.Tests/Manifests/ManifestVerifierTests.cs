using System.Text;
using Backflow.Protocol.Manifests;

namespace Backflow.Protocol.Tests.Manifests;

public sealed class ManifestVerifierTests
{
    [Fact]
    public void A_manifest_signed_with_a_fresh_key_verifies_with_that_key()
    {
        using var key = SigningKey.Generate();
        var envelope = ManifestSigner.Sign(Golden.Manifest, key);

        var result = new ManifestVerifier([key.PublicKey]).Verify(Dsse.Serialize(envelope));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(Golden.Manifest, result.Manifest);
        Assert.Equal(key.PublicKey, result.SignedBy);
        Assert.Null(result.Failure);
    }

    [Fact]
    public void Signatures_are_der_encoded_for_other_dsse_tooling()
    {
        using var key = SigningKey.Generate();
        var signature = Convert.FromBase64String(ManifestSigner.Sign(Golden.Manifest, key).Signatures[0].Sig);

        Assert.Equal(0x30, signature[0]);
        Assert.Equal(signature.Length - 2, signature[1]);
    }

    [Fact]
    public void A_manifest_signed_with_a_key_that_is_not_trusted_is_an_unknown_key()
    {
        using var trusted = SigningKey.Generate();
        using var stranger = SigningKey.Generate();
        var envelope = ManifestSigner.Sign(Golden.Manifest, stranger);

        var result = new ManifestVerifier([trusted.PublicKey]).Verify(envelope);

        Assert.False(result.Succeeded);
        Assert.Equal(VerificationFailureKind.UnknownKey, result.Failure);
        Assert.Contains($"signed by key {stranger.KeyId[..8]}…", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_claiming_a_trusted_key_id_but_made_by_another_key_is_a_bad_signature()
    {
        using var trusted = SigningKey.Generate();
        using var forger = SigningKey.Generate();
        var envelope = ManifestSigner.Sign(Golden.Manifest, forger);
        var claimed = envelope with { Signatures = [envelope.Signatures[0] with { KeyId = trusted.KeyId }] };

        var result = new ManifestVerifier([trusted.PublicKey]).Verify(claimed);

        Assert.Equal(VerificationFailureKind.BadSignature, result.Failure);
        Assert.Contains(trusted.PublicKey.Fingerprint, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void During_key_rotation_manifests_signed_by_the_old_or_the_new_key_verify()
    {
        using var oldKey = SigningKey.Generate();
        using var newKey = SigningKey.Generate();
        var verifier = new ManifestVerifier([oldKey.PublicKey, newKey.PublicKey]);

        var byOld = verifier.Verify(ManifestSigner.Sign(Golden.Manifest, oldKey));
        var byNew = verifier.Verify(ManifestSigner.Sign(Golden.Manifest, newKey));

        Assert.Equal(oldKey.PublicKey, byOld.SignedBy);
        Assert.Equal(newKey.PublicKey, byNew.SignedBy);
    }

    [Fact]
    public void An_envelope_is_accepted_when_any_one_of_its_signatures_is_by_a_trusted_key()
    {
        using var retired = SigningKey.Generate();
        using var current = SigningKey.Generate();
        var byRetired = ManifestSigner.Sign(Golden.Manifest, retired);
        var byCurrent = ManifestSigner.Sign(Golden.Manifest, current);
        var both = byRetired with { Signatures = [.. byRetired.Signatures, .. byCurrent.Signatures] };

        var result = new ManifestVerifier([current.PublicKey]).Verify(both);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(current.PublicKey, result.SignedBy);
    }

    [Fact]
    public void A_signature_without_a_key_id_is_checked_against_every_trusted_key()
    {
        using var other = SigningKey.Generate();
        using var key = SigningKey.Generate();
        var envelope = ManifestSigner.Sign(Golden.Manifest, key);
        var anonymous = envelope with { Signatures = [envelope.Signatures[0] with { KeyId = null }] };

        var result = new ManifestVerifier([other.PublicKey, key.PublicKey]).Verify(anonymous);

        Assert.True(result.Succeeded, result.Message);
    }

    [Fact]
    public void A_validly_signed_payload_that_is_not_a_valid_manifest_is_a_malformed_manifest()
    {
        using var key = SigningKey.Generate();
        var json = Encoding.UTF8.GetString(ManifestSerializer.Serialize(Golden.Manifest)).Replace("\"sequence\":12", "\"sequence\":0", StringComparison.Ordinal);
        var payload = Encoding.UTF8.GetBytes(json);
        var signature = key.Sign(Dsse.PreAuthenticationEncoding(Manifest.PayloadType, payload));
        var envelope = new DsseEnvelope(Manifest.PayloadType, Convert.ToBase64String(payload), [new DsseSignature { KeyId = key.KeyId, Sig = Convert.ToBase64String(signature) }]);

        var result = new ManifestVerifier([key.PublicKey]).Verify(envelope);

        Assert.Equal(VerificationFailureKind.MalformedManifest, result.Failure);
        Assert.Contains("'sequence'", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verifier_without_trusted_keys_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ManifestVerifier([]));
    }
}
