using Backflow.Protocol.Manifests;
using Backflow.Protocol.Regions;

namespace Backflow.Agent.Sync;

/// <summary>What every feed of one sync checks against: the pinned keys and the scope pinned at enrollment.</summary>
internal sealed record FeedContext(ManifestVerifier Verifier, RegionScope Scope, bool RetryBlocked);
