using Backflow.Server.Audit;
using Backflow.Server.Feeds;
using Backflow.Server.Metadata;
using Backflow.Server.Security;
using Backflow.Server.Storage;

namespace Backflow.Server.Api;

/// <summary>
/// The changes feed's read-only SAS URL per extract, for agents that ask (<c>direct=true</c>) when the deployment
/// enables direct downloads. Every URL is audited (agent, extract, expiry) before it leaves the server, like a download.
/// </summary>
internal static class DirectDownloadLinks
{
    public static async Task<IReadOnlyList<DirectDownloadLink>> IssueAsync(DirectDownloads downloads, WriteBatcher writes, AuditLog audit,
        AgentCaller caller, IReadOnlyList<StoredManifest> manifests)
    {
        var links = manifests.Select(m => (Manifest: m, Link: downloads.Issue(m.FileName))).ToList();
        // All of one page's links in one write: audited together or not handed out at all.
        await writes.WriteAsync((connection, transaction) =>
        {
            foreach (var (manifest, link) in links)
            {
                audit.Append(connection, transaction, AuditKinds.SasIssued, caller.Actor, caller.Id, manifest.Dataset, manifest.Region, manifest.Sequence,
                    manifest.FileBytes, detail: SasIssuedDetail.Format(manifest.FileName, Timestamps.ToText(link.ExpiresAt)));
            }
        });
        return [.. links.Select(l => new DirectDownloadLink(l.Manifest.Sequence, l.Link.Url, Timestamps.ToText(l.Link.ExpiresAt)))];
    }
}

/// <summary>One entry of the changes page's <c>directDownloads</c>: fetch this sequence's file from <c>url</c> until <c>expiresAt</c>.</summary>
internal sealed record DirectDownloadLink(long Sequence, Uri Url, string ExpiresAt);
