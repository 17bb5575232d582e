using System.Net;
using Backflow.Agent.Feeds;
using Backflow.Agent.Hosting;
using Backflow.Agent.Verification;
using Backflow.Protocol.Hashing;
using Backflow.Protocol.Manifests;

namespace Backflow.Agent.Downloads;

/// <summary>
/// Downloads an extract to staging and resumes with <c>Range</c>/<c>If-Range</c> when the connection breaks
/// mid-body. Failed requests (5xx, timeouts, refused connections) are retried by the HTTP resilience handler; this
/// class only handles what that handler cannot: a body cut after the headers arrived. Where the bytes come from (storage
/// or the server) is <see cref="ExtractSource"/>'s choice.
/// </summary>
internal sealed partial class ExtractDownloader(ExtractSource source, DirectLinks links, AgentOptions options, ILogger<ExtractDownloader> logger)
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

    /// <summary>Returns true when the body ended cleanly, false when the part must be restarted from zero.</summary>
    private async Task<bool> TryDownloadAsync(Manifest manifest, string part, CancellationToken ct)
    {
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (have > manifest.File.Bytes)
        {
            File.Delete(part);
            have = 0;
        }

        using var response = await source.OpenAsync(manifest, have, ct);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming {File} at byte {Offset}")]
    private static partial void LogResumedAt(ILogger logger, string file, long offset);
}
