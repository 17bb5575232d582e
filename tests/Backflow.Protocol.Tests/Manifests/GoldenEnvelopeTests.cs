using System.Text;
using Backflow.Protocol.Manifests;

namespace Backflow.Protocol.Tests.Manifests;

public sealed class GoldenEnvelopeTests
{
    private readonly ManifestVerifier _verifier = new([Golden.PublicKey]);

    [Fact]
    public void The_golden_envelope_verifies_with_the_golden_public_key()
    {
        var result = _verifier.Verify(Golden.EnvelopeJson);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(Golden.Manifest, result.Manifest);
        Assert.Equal(Golden.KeyId, result.SignedBy.KeyId);
    }

    [Fact]
    public void The_golden_envelope_carries_exactly_the_golden_manifest_bytes()
    {
        var envelope = Dsse.Deserialize(Golden.EnvelopeJson);

        Assert.Equal(Manifest.PayloadType, envelope.PayloadType);
        Assert.Equal(Golden.ManifestJson, Convert.FromBase64String(envelope.Payload));
    }

    [Fact]
    public void The_golden_envelope_json_round_trips_byte_for_byte()
    {
        Assert.Equal(Golden.EnvelopeJson, Dsse.Serialize(Dsse.Deserialize(Golden.EnvelopeJson)));
    }

    [Fact]
    public void The_key_id_of_the_golden_key_is_the_sha256_of_its_public_key()
    {
        using var key = Golden.PrivateKey();

        Assert.Equal(Golden.KeyId, key.KeyId);
        Assert.Equal(Golden.KeyId, Golden.PublicKey.KeyId);
        Assert.Equal("0c1b 6c01 01d7 5910 359a 552d 0a27 554d", Golden.PublicKey.Fingerprint);
    }

    [Fact]
    public void Flipping_any_byte_of_the_payload_fails_verification()
    {
        var envelope = Dsse.Deserialize(Golden.EnvelopeJson);
        var payload = Convert.FromBase64String(envelope.Payload);

        for (var i = 0; i < payload.Length; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0xFF })
            {
                var altered = (byte[])payload.Clone();
                altered[i] ^= mask;

                var result = _verifier.Verify(envelope with { Payload = Convert.ToBase64String(altered) });

                Assert.False(result.Succeeded, $"payload byte {i} xor {mask:x2} still verified");
                Assert.Equal(VerificationFailureKind.BadSignature, result.Failure);
            }
        }
    }

    [Fact]
    public void Flipping_any_byte_of_the_signature_fails_verification()
    {
        var envelope = Dsse.Deserialize(Golden.EnvelopeJson);
        var signature = Convert.FromBase64String(envelope.Signatures[0].Sig);

        for (var i = 0; i < signature.Length; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0xFF })
            {
                var altered = (byte[])signature.Clone();
                altered[i] ^= mask;
                var tampered = envelope with { Signatures = [envelope.Signatures[0] with { Sig = Convert.ToBase64String(altered) }] };

                var result = _verifier.Verify(tampered);

                Assert.False(result.Succeeded, $"signature byte {i} xor {mask:x2} still verified");
                Assert.Equal(VerificationFailureKind.BadSignature, result.Failure);
            }
        }
    }

    [Fact]
    public void A_changed_payload_type_fails_even_with_the_same_payload_and_signature()
    {
        var envelope = Dsse.Deserialize(Golden.EnvelopeJson);

        var result = _verifier.Verify(envelope with { PayloadType = "application/json" });

        Assert.Equal(VerificationFailureKind.WrongPayloadType, result.Failure);
        Assert.Contains("'application/json'", result.Message, StringComparison.Ordinal);
        Assert.Contains(Manifest.PayloadType, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_golden_envelope_fails_for_an_agent_that_pinned_another_key()
    {
        using var other = SigningKey.Generate();
        var verifier = new ManifestVerifier([other.PublicKey]);

        var result = verifier.Verify(Golden.EnvelopeJson);

        Assert.Equal(VerificationFailureKind.UnknownKey, result.Failure);
        Assert.Contains("signed by key 0c1b6c01…", result.Message, StringComparison.Ordinal);
        Assert.Contains("not among the 1 trusted key(s)", result.Message, StringComparison.Ordinal);
        Assert.Contains(other.PublicKey.Fingerprint, result.Message, StringComparison.Ordinal);
        Assert.Contains("backflow-server keys show", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"payloadType\":\"application/vnd.backflow.manifest+json\",\"payload\":\"e30=\"}")]
    [InlineData("{\"payloadType\":\"application/vnd.backflow.manifest+json\",\"payload\":\"e30=\",\"signatures\":[]}")]
    [InlineData("{\"payloadType\":\"application/vnd.backflow.manifest+json\",\"payload\":null,\"signatures\":[{\"sig\":\"AA==\"}]}")]
    [InlineData("{\"payloadType\":\"application/vnd.backflow.manifest+json\",\"payload\":\"e30=\",\"signatures\":[{\"keyid\":\"x\"}]}")]
    public void Json_that_is_not_an_envelope_is_a_malformed_envelope(string json)
    {
        var result = _verifier.Verify(Encoding.UTF8.GetBytes(json));

        Assert.Equal(VerificationFailureKind.MalformedEnvelope, result.Failure);
        Assert.StartsWith("not a DSSE envelope", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_payload_that_is_not_base64_is_a_malformed_envelope()
    {
        var envelope = Dsse.Deserialize(Golden.EnvelopeJson);

        var result = _verifier.Verify(envelope with { Payload = "!!" + envelope.Payload });

        Assert.Equal(VerificationFailureKind.MalformedEnvelope, result.Failure);
        Assert.Equal("the envelope's payload is not valid base64", result.Message);
    }

    [Fact]
    public void A_signature_that_is_not_base64_is_a_malformed_envelope()
    {
        var envelope = Dsse.Deserialize(Golden.EnvelopeJson);

        var result = _verifier.Verify(envelope with { Signatures = [envelope.Signatures[0] with { Sig = "%%%" }] });

        Assert.Equal(VerificationFailureKind.MalformedEnvelope, result.Failure);
        Assert.Equal("signature 1 of the envelope is not valid base64", result.Message);
    }

    [Fact]
    public void A_url_safe_unpadded_encoding_of_the_same_envelope_verifies_as_dsse_requires()
    {
        var envelope = Dsse.Deserialize(Golden.EnvelopeJson);
        static string UrlSafe(string b64) => b64.TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var result = _verifier.Verify(envelope with
        {
            Payload = UrlSafe(envelope.Payload),
            Signatures = [envelope.Signatures[0] with { Sig = UrlSafe(envelope.Signatures[0].Sig) }],
        });

        Assert.True(result.Succeeded, result.Message);
    }
}
