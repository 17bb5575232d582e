using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Backflow.Protocol.Regions;

namespace Backflow.Protocol.Manifests;

/// <summary>
/// Writes and reads manifest JSON: UTF-8, camelCase, fixed property order, no indentation, so that the same
/// manifest always produces the same bytes. Both directions validate every field, so that the server cannot
/// sign a manifest an agent would reject.
/// </summary>
public static partial class ManifestSerializer
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";
    private static readonly string[] AcceptedTimeFormats = ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    /// <summary>Serializes a manifest to its canonical UTF-8 JSON bytes.</summary>
    /// <exception cref="ManifestFormatException">A field holds a value no agent would accept.</exception>
    public static byte[] Serialize(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var document = ToDocument(manifest);
        _ = ToManifest(document);
        return JsonSerializer.SerializeToUtf8Bytes(document, ProtocolJsonContext.Wire.ManifestDocument);
    }

    /// <summary>Parses and validates manifest JSON. Unknown properties are ignored for forward compatibility.</summary>
    /// <exception cref="ManifestFormatException">The JSON is malformed, or a field is missing or invalid; the exception names it.</exception>
    public static Manifest Deserialize(ReadOnlySpan<byte> json)
    {
        ManifestDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, ProtocolJsonContext.Wire.ManifestDocument);
        }
        catch (JsonException e)
        {
            var field = e.Path is null or "$" ? string.Empty : e.Path.TrimStart('$', '.');
            throw new ManifestFormatException(field, $"not valid manifest JSON ({e.Message})", e);
        }

        return ToManifest(document ?? throw new ManifestFormatException(string.Empty, "the document is JSON null, not an object"));
    }

    private static ManifestDocument ToDocument(Manifest m) => new()
    {
        Format = Manifest.FormatV1,
        Dataset = m.Dataset,
        Region = m.Region.Value,
        Sequence = m.Sequence,
        Kind = m.Kind switch
        {
            ExtractKind.Delta => "delta",
            ExtractKind.Snapshot => "snapshot",
            _ => throw new ManifestFormatException("kind", $"{m.Kind} is not an extract kind"),
        },
        Generation = m.Generation,
        SchemaVersion = m.SchemaVersion,
        SchemaHash = m.SchemaHash,
        File = m.File is null ? null : new() { Name = m.File.Name, Bytes = m.File.Bytes, Sha256 = m.File.Sha256 },
        Counts = m.Counts is null ? null : new() { Upserts = m.Counts.Upserts, Deletes = m.Counts.Deletes },
        State = m.State is null ? null : new()
        {
            RowCount = m.State.RowCount,
            Checksum = m.State.Checksum.ToString("x16", CultureInfo.InvariantCulture),
        },
        PublishId = m.PublishId,
        PublishedAt = m.PublishedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
    };

    private static Manifest ToManifest(ManifestDocument d)
    {
        var format = Required(d.Format, "format");
        if (!string.Equals(format, Manifest.FormatV1, StringComparison.Ordinal))
        {
            throw new ManifestFormatException("format", $"'{format}' is not '{Manifest.FormatV1}'; this agent reads version-1 manifests only, upgrade it to read newer ones");
        }

        var dataset = Required(d.Dataset, "dataset");
        if (!DatasetIdPattern().IsMatch(dataset))
        {
            throw new ManifestFormatException("dataset", $"'{dataset}' is not a dataset id (lowercase letters, digits and single hyphens, starting with a letter)");
        }

        if (!RegionCode.TryParse(Required(d.Region, "region"), out var region, out var regionError))
        {
            throw new ManifestFormatException("region", regionError);
        }

        var kind = Required(d.Kind, "kind") switch
        {
            "delta" => ExtractKind.Delta,
            "snapshot" => ExtractKind.Snapshot,
            var other => throw new ManifestFormatException("kind", $"'{other}' is not an extract kind; expected 'delta' or 'snapshot'"),
        };

        var file = d.File ?? throw Missing("file");
        var counts = d.Counts ?? throw Missing("counts");
        var state = d.State ?? throw Missing("state");
        var publishedAtText = Required(d.PublishedAt, "publishedAt");
        if (!DateTimeOffset.TryParseExact(publishedAtText, AcceptedTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var publishedAt))
        {
            throw new ManifestFormatException("publishedAt", $"'{publishedAtText}' is not a UTC time like 2026-11-26T06:40:08.123456Z");
        }

        return new Manifest(
            dataset,
            region,
            AtLeast(d.Sequence, 1, "sequence"),
            kind,
            (int)AtLeast(d.Generation, 1, "generation"),
            (int)AtLeast(d.SchemaVersion, 1, "schemaVersion"),
            Sha256Hex(d.SchemaHash, "schemaHash"),
            new ManifestFile(FileName(file.Name), AtLeast(file.Bytes, 0, "file.bytes"), Sha256Hex(file.Sha256, "file.sha256")),
            new ManifestCounts(AtLeast(counts.Upserts, 0, "counts.upserts"), AtLeast(counts.Deletes, 0, "counts.deletes")),
            new ManifestState(AtLeast(state.RowCount, 0, "state.rowCount"), Checksum(state.Checksum)),
            Required(d.PublishId, "publishId"),
            TruncateToMicroseconds(publishedAt));
    }

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    private static string Required(string? value, string field) =>
        value switch
        {
            null => throw Missing(field),
            "" => throw new ManifestFormatException(field, "is empty"),
            _ => value,
        };

    private static long AtLeast(long? value, long minimum, string field) =>
        value switch
        {
            null => throw Missing(field),
            var v when v < minimum => throw new ManifestFormatException(field, $"{v} is less than {minimum}"),
            var v => v.Value,
        };

    private static string Sha256Hex(string? value, string field)
    {
        var text = Required(value, field);
        return Sha256Pattern().IsMatch(text)
            ? text
            : throw new ManifestFormatException(field, $"'{text}' is not a SHA-256 (64 lowercase hex digits)");
    }

    private static ulong Checksum(string? value)
    {
        var text = Required(value, "state.checksum");
        return ChecksumPattern().IsMatch(text)
            ? ulong.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
            : throw new ManifestFormatException("state.checksum", $"'{text}' is not a region checksum (16 lowercase hex digits)");
    }

    // The agent stores the download under this name: a path, a parent reference or a control character
    // could make it write outside its download folder.
    private static string FileName(string? value)
    {
        var text = Required(value, "file.name");
        return text is "." or ".." || text.Any(c => c is '/' or '\\' or ':' || char.IsControl(c))
            ? throw new ManifestFormatException("file.name", $"'{text}' is not a plain file name (no folders, '..', ':' or control characters)")
            : text;
    }

    private static ManifestFormatException Missing(string field) => new(field, "is missing");

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex DatasetIdPattern();

    [GeneratedRegex("^[0-9a-f]{64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Pattern();

    [GeneratedRegex("^[0-9a-f]{16}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ChecksumPattern();
}
