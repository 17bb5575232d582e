using System.Collections.Concurrent;
using Backflow.Agent.Feeds;

namespace Backflow.Agent.Downloads;

/// <summary>
/// The storage URLs the last changes pages offered, per extract, until the download uses them. A singleton because
/// the feed client that reads the page and the downloader that uses the link are separate, short-lived services.
/// </summary>
internal sealed class DirectLinks(TimeProvider time)
{
    // A link this close to its expiry is renewed before use rather than failing halfway through a large file.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<(string Dataset, string Region, long Sequence), DirectDownload> _links = new();

    public void Remember(ChangesPage page)
    {
        // Links of extracts never downloaded (a sync that stopped early) would otherwise stay for the service's lifetime.
        var now = time.GetUtcNow();
        foreach (var stale in _links.Where(l => l.Value.ExpiresAt <= now).Select(l => l.Key).ToList())
        {
            _links.TryRemove(stale, out _);
        }

        foreach (var link in page.DirectDownloads ?? [])
        {
            _links[(page.Dataset, page.Region, link.Sequence)] = link;
        }
    }

    /// <summary>The link for an extract, or null when none was offered (download through the server) or it is about to expire.</summary>
    public DirectDownload? Find(string dataset, string region, long sequence, out bool expired)
    {
        expired = false;
        if (!_links.TryGetValue((dataset, region, sequence), out var link))
        {
            return null;
        }

        expired = link.ExpiresAt - Margin <= time.GetUtcNow();
        return expired ? null : link;
    }

    public void Forget(string dataset, string region, long sequence) => _links.TryRemove((dataset, region, sequence), out _);
}
