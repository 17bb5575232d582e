namespace Backflow.Server.Problems;

/// <summary>
/// Stable RFC 9457 problem types, one per kind of error. Clients match on these, never on titles or details.
/// </summary>
internal static class ProblemTypes
{
    private const string Prefix = "urn:backflow:problem:";

    public const string Unauthenticated = Prefix + "unauthenticated";
    public const string Forbidden = Prefix + "forbidden";
    public const string WrongRole = Prefix + "wrong-role";
    public const string InvalidPath = Prefix + "invalid-path";
    public const string InvalidRequest = Prefix + "invalid-request";
    public const string NotFound = Prefix + "not-found";
    public const string SequenceExpired = Prefix + "sequence-expired";
    public const string ChangesetInvalid = Prefix + "changeset-invalid";
    public const string EnrollmentFailed = Prefix + "enrollment-failed";
    public const string RebaseRequired = Prefix + "rebase-required";
    public const string PublishIdReused = Prefix + "publish-id-reused";
}
