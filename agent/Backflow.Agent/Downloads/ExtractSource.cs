using System.Net;
using Backflow.Agent.Feeds;
using Backflow.Agent.Hosting;
using Backflow.Protocol.Manifests;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Backflow.Agent.Downloads;

/// <summary>
/// Where an extract's bytes come from: the storage URL the changes page offered for it (no token sent there), renewed
/// through the feed when it expired or storage refuses it, or the server's own download route.
/// </summary>
internal sealed partial class ExtractSource(FeedClient client, StorageClient storage, DirectLinks links, AgentOptions options, ILogger<ExtractSource> logger)
{
    /// <summary>
    /// Starts the transfer from the storage URL the feed offered, asking the feed for a fresh one when it has expired or
    /// storage refuses it (403), a bounded number of times; otherwise, or when storage cannot be reached from here at
    /// all, through the server's own route.
    /// </summary>
    public async Task<HttpResponseMessage> OpenAsync(Manifest manifest, long have, CancellationToken ct)
    {
        var (dataset, region, sequence) = (manifest.Dataset, manifest.Region.Value, manifest.Sequence);
        for (var renewals = 0; ; renewals++)
        {
            var link = links.Find(dataset, region, sequence, out var expired);
            if (link is not null)
            {
                HttpResponseMessage response;
                try
                {
                    response = await storage.GetAsync(link.Url, have, ct);
                }
                catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException && !ct.IsCancellationRequested)
                {
                    LogStorageUnreachable(logger, manifest.File.Name, e.Message);
                    links.Forget(dataset, region, sequence);
                    break;
                }

                if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                {
                    return response;
                }

                response.Dispose();
                links.Forget(dataset, region, sequence);
                if (response.StatusCode != HttpStatusCode.Forbidden)
                {
                    // Missing blob, storage failing after the retries: the server's route answers with a problem a person can read.
                    LogStorageUnreachable(logger, manifest.File.Name, $"HTTP {(int)response.StatusCode}");
                    break;
                }

                expired = true;
            }

            if (!expired)
            {
                break; // no storage URL offered: the server serves this one
            }

            if (renewals == options.DirectLinkRenewals)
            {
                LogRenewalsExhausted(logger, manifest.File.Name, renewals);
                break;
            }

            LogRenewing(logger, manifest.File.Name, renewals + 1, options.DirectLinkRenewals);
            await client.RenewDirectLinkAsync(dataset, region, sequence, ct);
        }

        return await client.GetExtractAsync(dataset, region, sequence, have, manifest.File.Sha256, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The storage URL of {File} expired or was refused; asking the feed for a fresh one ({Renewal} of {Renewals})")]
    private static partial void LogRenewing(ILogger logger, string file, int renewal, int renewals);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage refused {Renewals} fresh URLs for {File}; downloading it through the server. Check that the server's clock is right, or set Backflow:DirectDownloads=false")]
    private static partial void LogRenewalsExhausted(ILogger logger, string file, int renewals);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage could not serve {File} ({Error}); downloading it through the server. Where storage is never reachable from this site, set Backflow:DirectDownloads=false")]
    private static partial void LogStorageUnreachable(ILogger logger, string file, string error);
}
