using Backflow.Protocol.Manifests;
using Backflow.Protocol.Regions;

namespace Backflow.Agent.Sync;

/// <summary>What every feed of one sync checks against: the pinned keys and the scope pinned at enrollment.</summary>
/// <param name="Rebaseline">Load the latest snapshot even when the feed could continue with deltas (<c>repair</c>).</param>
internal sealed record FeedContext(ManifestVerifier Verifier, RegionScope Scope, bool RetryBlocked, bool Rebaseline = false);
