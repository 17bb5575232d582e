using Backflow.Protocol.Catalog;
using Backflow.Server.Snapshots;

namespace Backflow.Server.Rebasing;

/// <summary>How the catalog's schema of a dataset differs from the one last published, and what that requires.</summary>
internal enum SchemaChangeKind
{
    /// <summary>Same schema hash.</summary>
    None,

    /// <summary>Only nullable columns appended: deltas go on, agents add the columns in place.</summary>
    Additive,

    /// <summary>Columns removed (and maybe nullable ones added anywhere); key, region, types and nullability of the kept
    /// columns unchanged or only loosened. The server can re-encode its stored rows itself: <c>rebase</c> without a file.</summary>
    Projectable,

    /// <summary>A type, key, region column or nullability tightening changed: stored rows cannot be converted, so a
    /// re-base needs every row again under the new schema: <c>rebase --file</c>.</summary>
    NeedsFullReload,
}

/// <summary>The difference between the published schema and the catalog's, classified.</summary>
/// <param name="Description">The changed schema lines (<c>-column:…; +column:…</c>); empty when none.</param>
/// <param name="Blockers">Why stored rows cannot be converted, one phrase per column or key; empty unless
/// <see cref="SchemaChangeKind.NeedsFullReload"/>.</param>
internal sealed record SchemaChange(SchemaChangeKind Kind, string Description, IReadOnlyList<string> Blockers)
{
    public static SchemaChange Between(string? publishedText, DatasetDefinition catalog)
    {
        if (publishedText is null || publishedText == catalog.SchemaText)
        {
            return new SchemaChange(SchemaChangeKind.None, string.Empty, []);
        }

        var description = SchemaCompatibility.Describe(publishedText, catalog.SchemaText);
        if (SchemaCompatibility.IsAdditive(publishedText, catalog.SchemaText))
        {
            return new SchemaChange(SchemaChangeKind.Additive, description, []);
        }

        var blockers = FindBlockers(PublishedSchema.Parse(publishedText), catalog);
        return new SchemaChange(blockers.Count == 0 ? SchemaChangeKind.Projectable : SchemaChangeKind.NeedsFullReload, description, blockers);
    }

    private static List<string> FindBlockers(PublishedSchema published, DatasetDefinition catalog)
    {
        var blockers = new List<string>();
        if (!published.Key.SequenceEqual(catalog.PrimaryKey, StringComparer.Ordinal))
        {
            blockers.Add($"the primary key changes from ({string.Join(", ", published.Key)}) to ({string.Join(", ", catalog.PrimaryKey)})");
        }

        if (published.Region != catalog.RegionColumn)
        {
            blockers.Add($"the region column changes from '{published.Region}' to '{catalog.RegionColumn}'");
        }

        foreach (var column in catalog.Columns)
        {
            var type = column.Type.ToString();
            if (published.Find(column.Name) is not { } old)
            {
                if (!column.Nullable)
                {
                    blockers.Add($"column '{column.Name}' is new and NOT NULL: stored rows have no value for it");
                }
            }
            else if (old.Type != type)
            {
                blockers.Add($"column '{column.Name}' changes type from {old.Type} to {type}");
            }
            else if (old.Nullable && !column.Nullable)
            {
                blockers.Add($"column '{column.Name}' becomes NOT NULL");
            }
        }

        return blockers;
    }
}
