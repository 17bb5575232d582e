using System.Text;

namespace Backflow.Server.Publishing;

/// <summary>A changeset to publish: the changes file and an optional deletes file (CSV of key columns).</summary>
internal sealed record PublishRequest(
    string Dataset,
    Stream Changes,
    Stream? Deletes,
    Encoding Encoding,
    string? PublishId,
    string Actor)
{
    /// <summary>Reports rows read so far, for progress displays on large inputs.</summary>
    public IProgress<long>? Progress { get; init; }
}
