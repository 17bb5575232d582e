namespace Backflow.Agent.Verification;

/// <summary>Why a manifest or an extract was refused; each is reported, quarantined and counted toward blocking.</summary>
internal enum RejectionReason
{
    /// <summary>The envelope or the manifest inside it is not well formed.</summary>
    MalformedManifest,

    /// <summary>No pinned key signed the manifest.</summary>
    UnknownKey,

    /// <summary>A pinned key's signature does not match: the manifest was altered.</summary>
    BadSignature,

    /// <summary>The manifest is for another dataset than the feed asked for.</summary>
    DatasetMismatch,

    /// <summary>The manifest is for another region than the feed asked for.</summary>
    RegionMismatch,

    /// <summary>The region is outside the scope pinned at enrollment; nothing is downloaded.</summary>
    RegionOutOfScope,

    /// <summary>The dataset is not one the server granted to this agent; nothing is downloaded.</summary>
    DatasetNotGranted,

    /// <summary>The sequence is already applied (an old manifest was replayed).</summary>
    SequenceReplayed,

    /// <summary>The sequence is beyond applied + 1: one or more sequences were skipped.</summary>
    SequenceSkipped,

    /// <summary>The downloaded file's length is not the manifest's.</summary>
    SizeMismatch,

    /// <summary>The downloaded file's SHA-256 is not the manifest's.</summary>
    HashMismatch,

    /// <summary>The file's own metadata (dataset, region, sequence, schema hash, kind) disagrees with the manifest.</summary>
    ExtractMetadataMismatch,

    /// <summary>The file is not a readable extract of the dataset.</summary>
    ExtractUnreadable,

    /// <summary>The manifest's schema hash is not the one of the catalog definition, even after fetching it again.</summary>
    SchemaMismatch,

    /// <summary>The local table would no longer match the server's row count and checksum; the apply rolled back.</summary>
    LocalCopyDiverged,

    /// <summary>The local table's schema cannot hold the extract's rows (the message names the column) and the extract is
    /// not the snapshot of a re-base that would rebuild it.</summary>
    TableIncompatible,
}
