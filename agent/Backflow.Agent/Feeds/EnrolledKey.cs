namespace Backflow.Agent.Feeds;

/// <summary>A server signing key as <c>POST /enroll</c> returns it.</summary>
internal sealed record EnrolledKey(string KeyId, string Fingerprint, string PublicKeyPem);
