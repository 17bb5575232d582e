namespace Backflow.Server.Audit;

/// <summary>The kinds of audit record; stable strings, since operators filter on them.</summary>
internal static class AuditKinds
{
    public const string Publish = "publish";
    public const string AgentCreated = "agent-created";
    public const string Enrollment = "enrollment";
    public const string EnrollmentFailed = "enrollment-failed";
    public const string Grant = "grant";
    public const string Ungrant = "ungrant";
    public const string Revocation = "revocation";
    public const string TokenCreated = "token-created";
    public const string TokenRevoked = "token-revoked";
    public const string Download = "download";
    public const string AuthenticationFailed = "authentication-failed";
    public const string AccessDenied = "access-denied";
    public const string Snapshot = "snapshot";
    public const string Resync = "resync";
    public const string Retention = "retention";
    public const string Rebase = "rebase";

    /// <summary>A read-only SAS URL to one extract handed to an agent (direct downloads from Azure Blob Storage).</summary>
    public const string SasIssued = "sas-issued";
}
