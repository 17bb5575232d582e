namespace Backflow.Protocol.Manifests;

/// <summary>Why a signed manifest was rejected.</summary>
public enum VerificationFailureKind
{
    /// <summary>The envelope is not DSSE JSON, or its payload or a signature is not base64.</summary>
    MalformedEnvelope,

    /// <summary>The envelope's payload type is not <see cref="Manifest.PayloadType"/>.</summary>
    WrongPayloadType,

    /// <summary>No signature names a trusted key.</summary>
    UnknownKey,

    /// <summary>A trusted key signed, but the signature does not match the payload: it was altered.</summary>
    BadSignature,

    /// <summary>The signature verifies but the payload is not a valid manifest.</summary>
    MalformedManifest,
}
