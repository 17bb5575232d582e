using System.Globalization;
using Backflow.Protocol.Regions;

namespace Backflow.Protocol.Extracts;

/// <summary>
/// The identity of an extract, repeated in the Parquet file's key-value metadata so that a file found on
/// its own (in a staging folder, on a disk carried across a gateway) still says what it is.
/// </summary>
/// <param name="Dataset">The dataset id.</param>
/// <param name="Region">The six-digit GB/T 2260 region code of the extract.</param>
/// <param name="Sequence">The extract's sequence within (dataset, region), from 1.</param>
/// <param name="SchemaHash">The dataset's schema hash (lowercase hex SHA-256) the file was written with.</param>
/// <param name="Kind"><see cref="Delta"/> or <see cref="Snapshot"/>.</param>
public sealed record ExtractHeader(string Dataset, string Region, long Sequence, string SchemaHash, string Kind)
{
    /// <summary>Kind of an extract that holds the changes of one publish.</summary>
    public const string Delta = "delta";

    /// <summary>Kind of an extract that holds every live row of the region.</summary>
    public const string Snapshot = "snapshot";

    /// <summary>Metadata key of <see cref="Dataset"/>.</summary>
    public const string DatasetKey = "backflow.dataset";

    /// <summary>Metadata key of <see cref="Region"/>.</summary>
    public const string RegionKey = "backflow.region";

    /// <summary>Metadata key of <see cref="Sequence"/> (decimal digits).</summary>
    public const string SequenceKey = "backflow.sequence";

    /// <summary>Metadata key of <see cref="SchemaHash"/>.</summary>
    public const string SchemaHashKey = "backflow.schemaHash";

    /// <summary>Metadata key of <see cref="Kind"/>.</summary>
    public const string KindKey = "backflow.kind";

    /// <summary>Returns the first rule the header breaks, or null when it is well formed.</summary>
    public string? Validate()
    {
        if (string.IsNullOrEmpty(Dataset))
        {
            return "the dataset id is empty";
        }

        if (!RegionCode.TryParse(Region, out _, out var regionError))
        {
            return $"region '{Region}' is not a region code: {regionError}";
        }

        if (Sequence < 1)
        {
            return $"sequence {Sequence.ToString(CultureInfo.InvariantCulture)} is not positive; sequences start at 1";
        }

        if (string.IsNullOrEmpty(SchemaHash))
        {
            return "the schema hash is empty";
        }

        return Kind is Delta or Snapshot ? null : $"kind '{Kind}' is neither '{Delta}' nor '{Snapshot}'";
    }

    internal Dictionary<string, string> ToMetadata() => new(StringComparer.Ordinal)
    {
        [DatasetKey] = Dataset,
        [RegionKey] = Region,
        [SequenceKey] = Sequence.ToString(CultureInfo.InvariantCulture),
        [SchemaHashKey] = SchemaHash,
        [KindKey] = Kind,
    };

    internal static ExtractHeader FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        string[] keys = [DatasetKey, RegionKey, SequenceKey, SchemaHashKey, KindKey];
        var missing = keys.Where(k => !metadata.ContainsKey(k)).ToArray();
        if (missing.Length > 0)
        {
            throw new ExtractFormatException($"the Parquet file has no {string.Join(", ", missing.Select(k => $"'{k}'"))} metadata; it was not written by Backflow's extract writer");
        }

        var sequenceText = metadata[SequenceKey];
        if (!long.TryParse(sequenceText, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            throw new ExtractFormatException($"metadata '{SequenceKey}' is '{sequenceText}', not a sequence number");
        }

        var header = new ExtractHeader(metadata[DatasetKey], metadata[RegionKey], sequence, metadata[SchemaHashKey], metadata[KindKey]);
        var error = header.Validate();
        return error is null ? header : throw new ExtractFormatException($"invalid extract metadata: {error}");
    }
}
