using System.Globalization;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Manifests;

namespace Backflow.Agent.Verification;

/// <summary>Checks a downloaded file against its manifest: length, SHA-256, then the file's own metadata.</summary>
internal static class ExtractCheck
{
    public static void VerifyContent(Manifest manifest, long length, string sha256)
    {
        if (length != manifest.File.Bytes)
        {
            throw new RejectedException(
                RejectionReason.SizeMismatch,
                string.Create(CultureInfo.InvariantCulture, $"{manifest.File.Name} has {length} bytes but its manifest says {manifest.File.Bytes}"));
        }

        if (!string.Equals(sha256, manifest.File.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new RejectedException(
                RejectionReason.HashMismatch,
                $"{manifest.File.Name} has SHA-256 {sha256} but its manifest says {manifest.File.Sha256}; the file was altered or damaged");
        }
    }

    /// <summary>Opens the verified file; the caller disposes the reader.</summary>
    public static async Task<ExtractReader> OpenAsync(Stream file, DatasetDefinition dataset, Manifest manifest, CancellationToken ct)
    {
        ExtractReader reader;
        try
        {
            reader = await ExtractReader.OpenAsync(file, dataset, ct);
        }
        catch (ExtractFormatException e)
        {
            throw new RejectedException(RejectionReason.ExtractUnreadable, $"{manifest.File.Name}: {e.Message}");
        }

        var header = reader.Header;
        var kind = manifest.Kind == ExtractKind.Snapshot ? ExtractHeader.Snapshot : ExtractHeader.Delta;
        var mismatch =
            !string.Equals(header.Dataset, manifest.Dataset, StringComparison.Ordinal) ? $"dataset '{header.Dataset}' instead of '{manifest.Dataset}'"
            : !string.Equals(header.Region, manifest.Region.Value, StringComparison.Ordinal) ? $"region {header.Region} instead of {manifest.Region}"
            : header.Sequence != manifest.Sequence ? string.Create(CultureInfo.InvariantCulture, $"sequence {header.Sequence} instead of {manifest.Sequence}")
            : !string.Equals(header.SchemaHash, manifest.SchemaHash, StringComparison.Ordinal) ? $"schema hash {header.SchemaHash} instead of {manifest.SchemaHash}"
            : !string.Equals(header.Kind, kind, StringComparison.Ordinal) ? $"kind '{header.Kind}' instead of '{kind}'"
            : null;
        if (mismatch is not null)
        {
            await reader.DisposeAsync();
            throw new RejectedException(RejectionReason.ExtractMetadataMismatch, $"{manifest.File.Name}: the file's metadata says {mismatch} (from its manifest)");
        }

        return reader;
    }
}
