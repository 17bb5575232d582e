using Backflow.Agent.Verification;

namespace Backflow.Agent.Sync;

/// <summary>Carries a rejection out of a feed's pull together with how far the feed got before it.</summary>
internal sealed class FeedRejectedException(RejectedException rejection, long applied, long latest, long rows, string? quarantinedAs)
    : Exception(rejection.Message, rejection)
{
    public RejectedException Rejection { get; } = rejection;

    public long Applied { get; } = applied;

    public long Latest { get; } = latest;

    public long Rows { get; } = rows;

    public string? QuarantinedAs { get; } = quarantinedAs;
}
