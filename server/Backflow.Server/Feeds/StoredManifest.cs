namespace Backflow.Server.Feeds;

/// <summary>A committed extract as the manifests table holds it; <see cref="Envelope"/> is the signed DSSE JSON.</summary>
internal sealed record StoredManifest(
    string Dataset,
    string Region,
    long Sequence,
    string Kind,
    long Generation,
    string FileName,
    long FileBytes,
    string FileSha256,
    long Upserts,
    long Deletes,
    string PublishId,
    string PublishedAt,
    byte[] Envelope);
