namespace Backflow.Agent.Feeds;

/// <summary>
/// The server answered with an error (RFC 9457 problem details). <see cref="ProblemType"/> is the stable
/// <c>urn:backflow:problem:…</c> value to match on; the message carries the server's <c>detail</c> and what to do.
/// </summary>
internal sealed class ServerProblemException(int status, string? problemType, string? detail, string message)
    : Exception(message)
{
    public const string Unauthenticated = "urn:backflow:problem:unauthenticated";
    public const string EnrollmentFailed = "urn:backflow:problem:enrollment-failed";
    public const string Forbidden = "urn:backflow:problem:forbidden";
    public const string SequenceExpired = "urn:backflow:problem:sequence-expired";

    public int Status { get; } = status;

    public string? ProblemType { get; } = problemType;

    public string? Detail { get; } = detail;

    /// <summary>Transient problems (the server or a gateway failing) are not the feed's fault.</summary>
    public bool IsTransient => Status >= 500 || Status is 408 or 429;
}
