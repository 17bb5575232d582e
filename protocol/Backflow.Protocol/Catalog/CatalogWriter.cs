using System.Text.Encodings.Web;
using System.Text.Json;

namespace Backflow.Protocol.Catalog;

/// <summary>Writes a dataset definition back in the catalog file format, so that the receiver can read it with
/// <see cref="CatalogReader.Parse"/> and recompute the schema hash itself rather than trust it.</summary>
public static class CatalogWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The dataset as catalog JSON (UTF-8).</summary>
    public static byte[] ToJson(DatasetDefinition dataset)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("id", dataset.Id);
            json.WriteString("title", dataset.Title);
            json.WriteString("provider", dataset.Provider);
            json.WriteString("shareType", dataset.ShareType.ToString().ToLowerInvariant());
            json.WriteString("updateCycle", dataset.UpdateCycle.ToString().ToLowerInvariant());
            json.WriteString("regionColumn", dataset.RegionColumn);
            if (dataset.DatasetWideRows)
            {
                json.WriteBoolean("datasetWideRows", true);
            }

            json.WriteStartArray("primaryKey");
            foreach (var key in dataset.PrimaryKey)
            {
                json.WriteStringValue(key);
            }

            json.WriteEndArray();
            json.WriteStartArray("columns");
            foreach (var column in dataset.Columns)
            {
                json.WriteStartObject();
                json.WriteString("name", column.Name);
                json.WriteString("type", column.Type.ToString());
                json.WriteBoolean("nullable", column.Nullable);
                if (column.Description is not null)
                {
                    json.WriteString("description", column.Description);
                }

                if (column.Sensitive)
                {
                    json.WriteBoolean("sensitive", true);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
