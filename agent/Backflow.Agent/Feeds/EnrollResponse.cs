namespace Backflow.Agent.Feeds;

/// <summary>The answer to <c>POST /enroll</c>.</summary>
internal sealed record EnrollResponse(string AgentId, string Token, IReadOnlyList<EnrolledKey> Keys);
