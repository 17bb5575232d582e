using System.Text.Json;

namespace Backflow.Agent.Feeds;

/// <summary>
/// The answer to <c>GET /feeds/{dataset}/{region}/changes</c>. Manifests stay raw JSON so that the verifier sees
/// exactly the bytes the server sent and reports a malformed envelope as such instead of a parse error here.
/// <see cref="DirectDownloads"/> is there only when the agent asked for them and the server's storage offers them.
/// </summary>
internal sealed record ChangesPage(
    string Dataset,
    string Region,
    int Generation,
    long LatestSequence,
    long OldestSequence,
    int SchemaVersion,
    string SchemaHash,
    IReadOnlyList<JsonElement> Manifests,
    long? LatestSnapshotSequence = null,
    IReadOnlyList<DirectDownload>? DirectDownloads = null);
