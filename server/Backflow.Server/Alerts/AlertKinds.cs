namespace Backflow.Server.Alerts;

/// <summary>Stable alert kinds: receivers route on them.</summary>
internal static class AlertKinds
{
    public const string AgentSilent = "agent-silent";
    public const string FeedLate = "feed-late";
    public const string FeedBlocked = "feed-blocked";
    public const string VerificationFailed = "verification-failed";
}
