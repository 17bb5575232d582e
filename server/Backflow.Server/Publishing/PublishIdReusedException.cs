using Backflow.Server.Hosting;

namespace Backflow.Server.Publishing;

/// <summary>A publish id sent again with different files: refused, since answering "already published" would drop the
/// new changes without a word.</summary>
internal sealed class PublishIdReusedException(string publishId, string publishedAt)
    : UserError($"publish id '{publishId}' was already used at {publishedAt} for different files; a publish id names one changeset, "
        + "so a retry must send the same files. Publish these under a new id, or with no id (one is then generated)")
{
    public string PublishId { get; } = publishId;
}
