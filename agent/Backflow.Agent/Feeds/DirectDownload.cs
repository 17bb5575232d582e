namespace Backflow.Agent.Feeds;

/// <summary>
/// A read-only URL (an Azure Blob SAS) to one extract's file, from the changes page's <c>directDownloads</c>. It carries
/// its own authorization: the agent's bearer token is never sent with it. Storage is not trusted: the file is verified
/// against the signed manifest exactly as one served by the server.
/// </summary>
internal sealed record DirectDownload(long Sequence, Uri Url, DateTimeOffset ExpiresAt);
