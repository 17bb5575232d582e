using System.Security.Cryptography;

namespace Backflow.Protocol.Manifests;

/// <summary>
/// A public key an agent trusts to sign manifests (ECDSA P-256), pinned at enrollment. Two keys are equal when
/// their key ids are, since the id is the SHA-256 of the key.
/// </summary>
public sealed record TrustedKey
{
    private readonly byte[] _subjectPublicKeyInfo;

    private TrustedKey(byte[] subjectPublicKeyInfo)
    {
        _subjectPublicKeyInfo = subjectPublicKeyInfo;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));
    }

    /// <summary>The lowercase hex SHA-256 of <see cref="SubjectPublicKeyInfo"/>; the DSSE <c>keyid</c>.</summary>
    public string KeyId { get; }

    /// <summary>The DER-encoded X.509 SubjectPublicKeyInfo of the key.</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => _subjectPublicKeyInfo;

    /// <summary>
    /// The key id for people to compare, e.g. read aloud over the phone at enrollment: its first 32 hex digits
    /// (128 bits, beyond reach of anyone trying to forge a key that matches) in eight groups of four separated by
    /// spaces, e.g. <c>3f2a 9c01 77de 0b4e 5a11 c2f0 8d3b 6e94</c>.
    /// </summary>
    public string Fingerprint => string.Join(' ', Enumerable.Range(0, 8).Select(i => KeyId.Substring(i * 4, 4)));

    /// <summary>Creates a trusted key from a DER SubjectPublicKeyInfo.</summary>
    /// <exception cref="CryptographicException">The bytes are not an ECDSA P-256 public key.</exception>
    public static TrustedKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out var read);
        if (read != subjectPublicKeyInfo.Length)
        {
            throw new CryptographicException("the public key has trailing bytes after its SubjectPublicKeyInfo");
        }

        EnsureP256(ecdsa);

        // Re-export so that the key id does not depend on how the caller happened to encode the point.
        return new TrustedKey(ecdsa.ExportSubjectPublicKeyInfo());
    }

    /// <summary>Reads a <c>-----BEGIN PUBLIC KEY-----</c> PEM (an X.509 SubjectPublicKeyInfo).</summary>
    /// <exception cref="CryptographicException">The text holds no PUBLIC KEY PEM or not an ECDSA P-256 key.</exception>
    public static TrustedKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields) || !pem.AsSpan()[fields.Label].SequenceEqual("PUBLIC KEY"))
        {
            throw new CryptographicException("expected a '-----BEGIN PUBLIC KEY-----' PEM block; export it with `backflow-server keys show --pem`");
        }

        return FromSubjectPublicKeyInfo(Convert.FromBase64String(pem[fields.Base64Data]));
    }

    /// <summary>Writes the key as a <c>PUBLIC KEY</c> PEM.</summary>
    public string ToPem() => PemEncoding.WriteString("PUBLIC KEY", _subjectPublicKeyInfo);

    /// <inheritdoc />
    public bool Equals(TrustedKey? other) => other is not null && string.Equals(KeyId, other.KeyId, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(KeyId);

    /// <inheritdoc />
    public override string ToString() => $"{Fingerprint} ({KeyId})";

    internal static void EnsureP256(ECDsa ecdsa)
    {
        var curve = ecdsa.ExportParameters(false).Curve;
        if (!curve.IsNamed || curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new CryptographicException($"the key is on curve '{curve.Oid.FriendlyName ?? curve.Oid.Value}', not ECDSA P-256");
        }
    }

    // DER (Rfc3279DerSequence) because that is what other DSSE tooling (Go's crypto/ecdsa, sigstore, OpenSSL)
    // produces and expects, not .NET's default fixed-width r||s.
    internal bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(_subjectPublicKeyInfo, out _);
        try
        {
            return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
