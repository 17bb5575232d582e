using System.Text.Json;
using Backflow.Protocol.Catalog;

namespace Backflow.Server.Rebasing;

/// <summary>
/// A schema as it was published, read back from its canonical schema text (<c>schema_versions.schema_text</c>,
/// protocol/CANONICAL.md §1): the only record of an old schema the server keeps, and enough to decode the rows
/// the key index stored under it.
/// </summary>
internal sealed record PublishedSchema(IReadOnlyList<string> Key, string Region, IReadOnlyList<PublishedSchema.Column> Columns)
{
    private static readonly JsonSerializerOptions OmitNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public sealed record Column(string Name, string Type, bool Nullable);

    public static PublishedSchema Parse(string schemaText)
    {
        IReadOnlyList<string> key = [];
        var region = string.Empty;
        var columns = new List<Column>();
        foreach (var line in schemaText.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':');
            switch (parts[0])
            {
                case "key":
                    key = parts[1].Split(',');
                    break;
                case "region":
                    region = parts[1];
                    break;
                case "column" when parts.Length == 4:
                    columns.Add(new Column(parts[1], parts[2], parts[3] == "null"));
                    break;
            }
        }

        return new PublishedSchema(key, region, columns);
    }

    public Column? Find(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>A dataset definition with this schema under <paramref name="datasetId"/>, to decode stored rows with.</summary>
    public DatasetDefinition ToDefinition(string datasetId)
    {
        var json = JsonSerializer.Serialize(new
        {
            id = datasetId,
            title = datasetId,
            provider = "(published schema)",
            shareType = "unconditional",
            updateCycle = "irregular",
            regionColumn = Region,
            primaryKey = Key,
            columns = Columns.Select(c => new { name = c.Name, type = c.Type, nullable = c.Nullable }),
        });
        return CatalogReader.Parse(json, $"published schema of '{datasetId}'");
    }

    /// <summary><paramref name="entry"/> as it was published: its title, provider and share attributes, with this schema's
    /// key, region column and columns (a column keeps its description and sensitivity when the entry still has it).</summary>
    public DatasetDefinition ToDefinition(DatasetDefinition entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var json = JsonSerializer.Serialize(new
        {
            id = entry.Id,
            title = entry.Title,
            provider = entry.Provider,
            shareType = entry.ShareType.ToString().ToLowerInvariant(),
            updateCycle = entry.UpdateCycle.ToString().ToLowerInvariant(),
            regionColumn = Region,
            primaryKey = Key,
            columns = Columns.Select(c => entry.Columns.FirstOrDefault(e => e.Name == c.Name) is { } now
                ? new { name = c.Name, type = c.Type, nullable = c.Nullable, description = now.Description, sensitive = now.Sensitive }
                : new { name = c.Name, type = c.Type, nullable = c.Nullable, description = (string?)null, sensitive = false }),
        }, OmitNulls);
        return CatalogReader.Parse(json, $"published schema of '{entry.Id}'");
    }
}
