using System.Security.Cryptography;
using System.Text;

namespace Backflow.Protocol.Catalog;

/// <summary>
/// Builds the canonical schema text whose SHA-256 is the schema hash. Only what changes the meaning of
/// rows goes in (columns, their order, types, nullability, key, region column); titles and descriptions
/// do not, so rewording a description never forces agents to re-check their tables.
/// </summary>
internal static class SchemaCanonicalizer
{
    public static string CanonicalText(DatasetDefinition dataset)
    {
        var text = new StringBuilder();
        text.Append("backflow.schema/1\n");
        text.Append("key:").Append(string.Join(',', dataset.PrimaryKey)).Append('\n');
        text.Append("region:").Append(dataset.RegionColumn).Append('\n');
        foreach (var column in dataset.Columns)
        {
            text.Append("column:").Append(column.Name).Append(':').Append(column.Type)
                .Append(':').Append(column.Nullable ? "null" : "notnull").Append('\n');
        }

        return text.ToString();
    }

    public static string Hash(string canonicalText) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalText)));
}
