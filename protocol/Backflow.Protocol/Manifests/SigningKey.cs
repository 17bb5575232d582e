using System.Security.Cryptography;

namespace Backflow.Protocol.Manifests;

/// <summary>An ECDSA P-256 private key that signs manifests on the server.</summary>
public sealed class SigningKey : IDisposable
{
    private readonly ECDsa _ecdsa;

    private SigningKey(ECDsa ecdsa)
    {
        _ecdsa = ecdsa;
        PublicKey = TrustedKey.FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The public half, as agents pin it.</summary>
    public TrustedKey PublicKey { get; }

    /// <summary>The key id: lowercase hex SHA-256 of the public key's SubjectPublicKeyInfo.</summary>
    public string KeyId => PublicKey.KeyId;

    /// <summary>Generates a new random P-256 key.</summary>
    public static SigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Reads an unencrypted PKCS#8 <c>-----BEGIN PRIVATE KEY-----</c> PEM.</summary>
    /// <exception cref="CryptographicException">The text holds no PRIVATE KEY PEM, or not a P-256 key.</exception>
    public static SigningKey ImportPkcs8Pem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields) || !pem.AsSpan()[fields.Label].SequenceEqual("PRIVATE KEY"))
        {
            throw new CryptographicException("expected an unencrypted PKCS#8 '-----BEGIN PRIVATE KEY-----' PEM block");
        }

        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(pem[fields.Base64Data]), out _);
            TrustedKey.EnsureP256(ecdsa);
            return new SigningKey(ecdsa);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    /// <summary>Writes the private key as an unencrypted PKCS#8 <c>PRIVATE KEY</c> PEM; store it with owner-only permissions.</summary>
    public string ExportPkcs8Pem() => _ecdsa.ExportPkcs8PrivateKeyPem();

    /// <inheritdoc />
    public void Dispose() => _ecdsa.Dispose();

    // DER (Rfc3279DerSequence) because that is what other DSSE tooling (Go's crypto/ecdsa, sigstore, OpenSSL)
    // produces and expects, not .NET's default fixed-width r||s.
    internal byte[] Sign(ReadOnlySpan<byte> data) =>
        _ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
}
