using System.Diagnostics.CodeAnalysis;

namespace Backflow.Protocol.Manifests;

/// <summary>The outcome of verifying a signed manifest: the manifest, or why it was rejected.</summary>
public sealed class ManifestVerification
{
    private ManifestVerification(Manifest? manifest, TrustedKey? signedBy, VerificationFailureKind? failure, string? message)
    {
        Manifest = manifest;
        SignedBy = signedBy;
        Failure = failure;
        Message = message;
    }

    /// <summary>True when a trusted key signed a valid manifest.</summary>
    [MemberNotNullWhen(true, nameof(Manifest), nameof(SignedBy))]
    [MemberNotNullWhen(false, nameof(Failure), nameof(Message))]
    public bool Succeeded => Manifest is not null;

    /// <summary>The verified manifest; null on failure.</summary>
    public Manifest? Manifest { get; }

    /// <summary>The trusted key whose signature verified; null on failure.</summary>
    public TrustedKey? SignedBy { get; }

    /// <summary>Why verification failed; null on success.</summary>
    public VerificationFailureKind? Failure { get; }

    /// <summary>What was wrong and what to do, for a person to read; null on success.</summary>
    public string? Message { get; }

    internal static ManifestVerification Success(Manifest manifest, TrustedKey signedBy) => new(manifest, signedBy, null, null);

    internal static ManifestVerification Fail(VerificationFailureKind kind, string message) => new(null, null, kind, message);
}
