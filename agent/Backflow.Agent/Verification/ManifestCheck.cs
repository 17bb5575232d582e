using System.Globalization;
using Backflow.Protocol.Manifests;
using Backflow.Protocol.Regions;

namespace Backflow.Agent.Verification;

/// <summary>
/// Everything that can be checked before a byte of the extract is downloaded: the signature against the pinned
/// keys, that the manifest is the one asked for, that it is ours to hold, and that it is the next sequence.
/// </summary>
internal static class ManifestCheck
{
    public static Manifest Verify(
        ManifestVerifier verifier, ReadOnlySpan<byte> envelope, string dataset, RegionCode region, RegionScope scope, long applied)
    {
        var verification = verifier.Verify(envelope);
        if (!verification.Succeeded)
        {
            var reason = verification.Failure switch
            {
                VerificationFailureKind.UnknownKey => RejectionReason.UnknownKey,
                VerificationFailureKind.BadSignature => RejectionReason.BadSignature,
                _ => RejectionReason.MalformedManifest,
            };
            throw new RejectedException(reason, verification.Message);
        }

        var manifest = verification.Manifest;
        if (!string.Equals(manifest.Dataset, dataset, StringComparison.Ordinal))
        {
            throw new RejectedException(RejectionReason.DatasetMismatch, $"the feed of '{dataset}' sent a manifest for dataset '{manifest.Dataset}'");
        }

        if (manifest.Region != region)
        {
            throw new RejectedException(RejectionReason.RegionMismatch, $"the feed of region {region} sent a manifest for region {manifest.Region}");
        }

        // Checked again here, not only when choosing feeds, so that no manifest can make the agent hold foreign rows.
        if (!InScope(scope, manifest.Region))
        {
            throw new RejectedException(RejectionReason.RegionOutOfScope, $"region {manifest.Region} is outside this agent's scope ({scope})");
        }

        var expected = applied + 1;
        if (manifest.Sequence <= applied)
        {
            throw new RejectedException(
                RejectionReason.SequenceReplayed,
                string.Create(CultureInfo.InvariantCulture, $"sequence {manifest.Sequence} of {dataset}/{region} is already applied (applied {applied}); an old manifest was replayed"));
        }

        if (manifest.Sequence != expected)
        {
            throw new RejectedException(
                RejectionReason.SequenceSkipped,
                string.Create(CultureInfo.InvariantCulture, $"got sequence {manifest.Sequence} of {dataset}/{region} but expected {expected}; sequences {expected}..{manifest.Sequence - 1} were skipped"));
        }

        return manifest;
    }

    /// <summary>Region 000000 holds dataset-wide reference rows every grantee receives.</summary>
    public static bool InScope(RegionScope scope, RegionCode region) =>
        region == RegionCode.Nationwide || scope.Covers(region);
}
