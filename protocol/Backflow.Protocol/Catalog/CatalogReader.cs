using System.Text;
using System.Text.Json;

namespace Backflow.Protocol.Catalog;

/// <summary>
/// Reads dataset definitions from catalog JSON (one file per dataset) and validates them completely:
/// every problem is reported with the file, the field and the reason, not just the first.
/// </summary>
public static class CatalogReader
{
    /// <summary>Reads and validates one catalog file.</summary>
    /// <exception cref="CatalogException">The file is not a valid dataset definition.</exception>
    public static DatasetDefinition ReadFile(string path)
    {
        var json = File.ReadAllText(path, Encoding.UTF8);
        var dataset = Parse(json, path);
        var expectedName = dataset.Id + ".json";
        if (!string.Equals(Path.GetFileName(path), expectedName, StringComparison.Ordinal))
        {
            throw new CatalogException([new CatalogError(path, "id", $"dataset id '{dataset.Id}' does not match the file name; rename the file to {expectedName}")]);
        }

        return dataset;
    }

    /// <summary>Reads every <c>*.json</c> file of a catalog folder, ordered by dataset id.</summary>
    /// <exception cref="CatalogException">Any file is invalid; the errors of all files are listed.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static IReadOnlyList<DatasetDefinition> ReadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"catalog folder '{Path.GetFullPath(directory)}' does not exist; pass --catalog <dir> or create it with one <dataset-id>.json per dataset");
        }

        var datasets = new List<DatasetDefinition>();
        var errors = new List<CatalogError>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                datasets.Add(ReadFile(file));
            }
            catch (CatalogException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new CatalogException(errors);
        }

        return datasets.OrderBy(d => d.Id, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Parses and validates catalog JSON.</summary>
    /// <param name="json">The file content.</param>
    /// <param name="source">Where it came from, used in error messages.</param>
    /// <exception cref="CatalogException">The JSON is not a valid dataset definition.</exception>
    public static DatasetDefinition Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new CatalogException([new CatalogError(source, "(file)", $"not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}")]);
        }

        using (document)
        {
            var validator = new CatalogValidator(source);
            var dataset = validator.Validate(document.RootElement);
            if (validator.Errors.Count > 0 || dataset is null)
            {
                throw new CatalogException(validator.Errors);
            }

            return dataset;
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
