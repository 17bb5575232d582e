using System.Security.Cryptography;
using System.Text;
using Backflow.Protocol.Manifests;

namespace Backflow.Protocol.Tests.Manifests;

public sealed class KeyTests
{
    [Fact]
    public void A_private_key_survives_a_pkcs8_pem_round_trip()
    {
        using var key = SigningKey.Generate();
        var pem = key.ExportPkcs8Pem();

        using var imported = SigningKey.ImportPkcs8Pem(pem);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
        Assert.Equal(key.KeyId, imported.KeyId);
    }

    [Fact]
    public void A_public_key_survives_a_pem_round_trip()
    {
        using var key = SigningKey.Generate();
        var pem = key.PublicKey.ToPem();

        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", pem, StringComparison.Ordinal);
        Assert.Equal(key.PublicKey, TrustedKey.FromPem(pem));
    }

    [Fact]
    public void The_key_id_is_the_lowercase_sha256_of_the_subject_public_key_info()
    {
        using var key = SigningKey.Generate();

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(key.PublicKey.SubjectPublicKeyInfo.Span)), key.KeyId);
    }

    [Fact]
    public void The_fingerprint_is_the_first_32_hex_digits_in_groups_of_four()
    {
        using var key = SigningKey.Generate();
        var fingerprint = key.PublicKey.Fingerprint;

        Assert.Equal(39, fingerprint.Length);
        Assert.Equal(key.KeyId[..32], fingerprint.Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.All(fingerprint.Split(' '), group => Assert.Equal(4, group.Length));
    }

    [Fact]
    public void A_key_on_another_curve_is_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<CryptographicException>(() => SigningKey.ImportPkcs8Pem(p384.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<CryptographicException>(() => TrustedKey.FromPem(p384.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public void A_public_key_pem_is_not_accepted_as_a_private_key_nor_the_reverse()
    {
        using var key = SigningKey.Generate();

        Assert.Throws<CryptographicException>(() => SigningKey.ImportPkcs8Pem(key.PublicKey.ToPem()));
        Assert.Throws<CryptographicException>(() => TrustedKey.FromPem(key.ExportPkcs8Pem()));
    }

    [Fact]
    public void Pre_authentication_encoding_matches_the_dsse_specification_example()
    {
        var pae = Dsse.PreAuthenticationEncoding("http://example.com/HelloWorld", Encoding.UTF8.GetBytes("hello world"));

        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.UTF8.GetString(pae));
    }

    [Fact]
    public void Pre_authentication_encoding_counts_bytes_not_characters()
    {
        var pae = Dsse.PreAuthenticationEncoding("类型", Encoding.UTF8.GetBytes("é"));

        Assert.Equal("DSSEv1 6 类型 2 é", Encoding.UTF8.GetString(pae));
    }
}
