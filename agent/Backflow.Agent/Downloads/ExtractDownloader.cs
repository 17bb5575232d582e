using System.Net;
using Backflow.Agent.Feeds;
using Backflow.Agent.Hosting;
using Backflow.Agent.Verification;
using Backflow.Protocol.Hashing;
using Backflow.Protocol.Manifests;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Backflow.Agent.Downloads;

/// <summary>
/// Downloads an extract to staging and resumes with <c>Range</c>/<c>If-Range</c> when the connection breaks
/// mid-body. Failed requests (5xx, timeouts, refused connections) are retried by the HTTP resilience handler; this
/// class only handles what that handler cannot: a body cut after the headers arrived. When the feed offered a storage
/// URL for the extract, the bytes come straight from storage (see <see cref="OpenAsync"/>).
/// </summary>
internal sealed partial class ExtractDownloader(
    FeedClient client, StorageClient storage, DirectLinks links, AgentOptions options, ILogger<ExtractDownloader> logger)
{
    private const int BufferSize = 81920;

    public async Task<StagedExtract> DownloadAsync(Manifest manifest, CancellationToken ct)
    {
        var staging = options.ResolvedStagingFolder;
        Directory.CreateDirectory(staging);
        var final = StagingPaths.Final(staging, manifest);
        var part = StagingPaths.Part(staging, manifest);
        if (File.Exists(final))
        {
            // Left by a run that stopped after verifying; verify again rather than trust it, it is cheap.
            File.Move(final, part, overwrite: true);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await TryDownloadAsync(manifest, part, ct))
                {
                    break;
                }
            }
            catch (IOException e) when (e is not StagingFullException && !ct.IsCancellationRequested && attempt < options.DownloadAttempts)
            {
                LogResuming(logger, manifest.File.Name, attempt, options.DownloadAttempts, e.Message);
            }
        }

        var (sha256, length) = await HashFileAsync(part, ct);
        ExtractCheck.VerifyContent(manifest, length, sha256);
        File.Move(part, final, overwrite: true);
        links.Forget(manifest.Dataset, manifest.Region.Value, manifest.Sequence);
        return new StagedExtract(final, length, sha256);
    }

    /// <summary>
    /// Starts the transfer from the storage URL the feed offered, asking the feed for a fresh one when it has expired or
    /// storage refuses it (403), a bounded number of times; otherwise, or when storage cannot be reached from here at
    /// all, through the server's own route.
    /// </summary>
    private async Task<HttpResponseMessage> OpenAsync(Manifest manifest, long have, CancellationToken ct)
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

    /// <summary>Returns true when the body ended cleanly, false when the part must be restarted from zero.</summary>
    private async Task<bool> TryDownloadAsync(Manifest manifest, string part, CancellationToken ct)
    {
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (have > manifest.File.Bytes)
        {
            File.Delete(part);
            have = 0;
        }

        using var response = await OpenAsync(manifest, have, ct);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The part already holds every byte the server has; verification decides whether that is enough.
            if (have > 0)
            {
                return true;
            }
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await ProblemReader.ReadAsync(response, $"downloading {manifest.File.Name}", ct);
        }

        var append = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
        if (response.StatusCode == HttpStatusCode.PartialContent && !append)
        {
            File.Delete(part);
            return false;
        }

        if (have > 0)
        {
            LogResumedAt(logger, manifest.File.Name, append ? have : 0);
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct);
        try
        {
            await CopyToPartAsync(body, part, append ? have : 0, manifest.File.Bytes, ct);
        }
        catch (Exception e) when (StagingFullException.IsNoSpace(e))
        {
            var staged = File.Exists(part) ? new FileInfo(part).Length : 0;
            throw new StagingFullException(
                $"the staging folder '{Path.GetDirectoryName(part)}' has no space left for {manifest.File.Name} "
                + $"({manifest.File.Bytes} bytes, {staged} staged so far; the system said: {e.Message}); nothing of it was applied. "
                + "Free space there, or point Backflow:StagingFolder (BACKFLOW__STAGINGFOLDER) at a larger disk; the next sync resumes the download",
                e);
        }

        return true;
    }

    private static async Task CopyToPartAsync(Stream body, string part, long have, long announced, CancellationToken ct)
    {
        await using var file = new FileStream(part, have > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        var buffer = new byte[BufferSize];
        var total = have;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
            total += read;
            if (total > announced)
            {
                // Longer than announced: stop filling the disk; verification reports the size.
                break;
            }
        }
    }

    private static async Task<(string Sha256, long Length)> HashFileAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        return await ContentHash.ComputeAsync(file, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Download of {File} broke (attempt {Attempt} of {Attempts}): {Error}; resuming")]
    private static partial void LogResuming(ILogger logger, string file, int attempt, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "The storage URL of {File} expired or was refused; asking the feed for a fresh one ({Renewal} of {Renewals})")]
    private static partial void LogRenewing(ILogger logger, string file, int renewal, int renewals);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage refused {Renewals} fresh URLs for {File}; downloading it through the server. Check that the server's clock is right, or set Backflow:DirectDownloads=false")]
    private static partial void LogRenewalsExhausted(ILogger logger, string file, int renewals);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage could not serve {File} ({Error}); downloading it through the server. Where storage is never reachable from this site, set Backflow:DirectDownloads=false")]
    private static partial void LogStorageUnreachable(ILogger logger, string file, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming {File} at byte {Offset}")]
    private static partial void LogResumedAt(ILogger logger, string file, long offset);
}
