using System.Text.Json;
using System.Text.RegularExpressions;

namespace Backflow.Protocol.Catalog;

/// <summary>Checks one catalog JSON document field by field, collecting every problem.</summary>
internal sealed partial class CatalogValidator(string source)
{
    private static readonly string[] TopLevelFields = ["id", "title", "provider", "shareType", "updateCycle", "regionColumn", "datasetWideRows", "primaryKey", "columns"];
    private static readonly string[] ColumnFields = ["name", "type", "nullable", "description", "sensitive"];

    private readonly List<CatalogError> _errors = [];

    public IReadOnlyList<CatalogError> Errors => _errors;

    public DatasetDefinition? Validate(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Error("(file)", "the file must hold one JSON object describing one dataset");
            return null;
        }

        RejectUnknownFields(root, TopLevelFields, string.Empty);
        var id = RequiredString(root, "id");
        if (id is not null && !DatasetIdPattern().IsMatch(id))
        {
            Error("id", $"'{id}' is not a valid dataset id; use 1-64 lowercase letters, digits and single hyphens, starting with a letter (e.g. market-entities)");
        }

        var title = RequiredString(root, "title");
        var provider = RequiredString(root, "provider");
        var shareType = RequiredEnum<ShareType>(root, "shareType", ["unconditional", "conditional", "none"]);
        var updateCycle = RequiredEnum<UpdateCycle>(root, "updateCycle", ["realtime", "daily", "weekly", "monthly", "quarterly", "yearly", "irregular"]);
        var columns = ReadColumns(root);
        var regionColumn = ReadRegionColumn(root, columns);
        var primaryKey = ReadPrimaryKey(root, columns);
        var datasetWideRows = OptionalBool(root, "datasetWideRows", string.Empty) ?? false;

        if (_errors.Count > 0 || id is null || title is null || provider is null || shareType is null
            || updateCycle is null || columns is null || regionColumn is null || primaryKey is null)
        {
            return null;
        }

        return new DatasetDefinition(id, title, provider, shareType.Value, updateCycle.Value, regionColumn, primaryKey, columns, datasetWideRows);
    }

    private List<ColumnDefinition>? ReadColumns(JsonElement root)
    {
        if (!root.TryGetProperty("columns", out var array))
        {
            Error("columns", "missing; list the dataset's columns in order, each with a name and a type");
            return null;
        }

        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            Error("columns", "must be a non-empty array of column objects");
            return null;
        }

        var columns = new List<ColumnDefinition>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var path = $"columns[{index++}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error(path, "must be an object with at least \"name\" and \"type\"");
                continue;
            }

            RejectUnknownFields(element, ColumnFields, path + ".");
            var name = RequiredString(element, "name", path + ".");
            var typeText = RequiredString(element, "type", path + ".");
            var nullable = OptionalBool(element, "nullable", path + ".") ?? true;
            var sensitive = OptionalBool(element, "sensitive", path + ".") ?? false;
            var description = OptionalString(element, "description", path + ".");

            if (name is not null && !ColumnNamePattern().IsMatch(name))
            {
                Error(path + ".name", $"'{name}' is not a valid column name; use 1-63 lowercase letters, digits and underscores, starting with a letter");
                name = null;
            }
            else if (name is not null && !seen.Add(name))
            {
                Error(path + ".name", $"duplicate column '{name}'; every column name must be unique");
                name = null;
            }

            LogicalType? type = null;
            if (typeText is not null && !LogicalType.TryParse(typeText, out type, out var typeError))
            {
                Error(path + ".type", typeError!);
            }

            if (name is not null && type is not null)
            {
                columns.Add(new ColumnDefinition(name, type, nullable, description, sensitive));
            }
        }

        return columns;
    }

    private string? ReadRegionColumn(JsonElement root, List<ColumnDefinition>? columns)
    {
        var name = RequiredString(root, "regionColumn");
        if (name is null || columns is null)
        {
            return name;
        }

        var column = columns.Find(c => c.Name == name);
        if (column is null)
        {
            Error("regionColumn", $"column '{name}' is not in columns; add it (type string, nullable false) or name an existing column");
            return null;
        }

        if (column.Type.Kind != LogicalKind.String)
        {
            Error("regionColumn", $"column '{name}' has type {column.Type}; the region column must be of type string (six-digit GB/T 2260 code)");
        }

        if (column.Nullable)
        {
            Error("regionColumn", $"column '{name}' is nullable; every row needs a region, so declare it \"nullable\": false");
        }

        return name;
    }

    private List<string>? ReadPrimaryKey(JsonElement root, List<ColumnDefinition>? columns)
    {
        if (!root.TryGetProperty("primaryKey", out var array))
        {
            Error("primaryKey", "missing; name the column(s) that identify a row, e.g. [\"uscc\"]");
            return null;
        }

        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            Error("primaryKey", "must be a non-empty array of column names");
            return null;
        }

        var key = new List<string>();
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var path = $"primaryKey[{index++}]";
            if (element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
            {
                Error(path, "must be a non-empty column name");
                continue;
            }

            var name = element.GetString()!;
            if (key.Contains(name))
            {
                Error(path, $"column '{name}' appears twice in the key");
                continue;
            }

            key.Add(name);
            if (columns is null)
            {
                continue;
            }

            var column = columns.Find(c => c.Name == name);
            if (column is null)
            {
                Error(path, $"key column '{name}' is not in columns");
            }
            else if (column.Nullable)
            {
                Error(path, $"key column '{name}' is nullable; key columns must be declared \"nullable\": false");
            }
            else if (column.Type.Kind is LogicalKind.Double or LogicalKind.Binary)
            {
                Error(path, $"key column '{name}' has type {column.Type}; keys must be string, integer, decimal, boolean, date or timestamp");
            }
        }

        return key;
    }

    private void RejectUnknownFields(JsonElement element, string[] known, string prefix)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                Error(prefix + property.Name, $"unknown field; allowed fields are {string.Join(", ", known)} (names are case-sensitive)");
            }
        }
    }

    private string? RequiredString(JsonElement element, string name, string prefix = "")
    {
        if (!element.TryGetProperty(name, out var value))
        {
            Error(prefix + name, "missing; this field is required");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            Error(prefix + name, "must be a non-empty string");
            return null;
        }

        return value.GetString()!;
    }

    private string? OptionalString(JsonElement element, string name, string prefix)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(prefix + name, "must be a string");
            return null;
        }

        return value.GetString();
    }

    private bool? OptionalBool(JsonElement element, string name, string prefix)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error(prefix + name, "must be true or false (without quotes)");
            return null;
        }

        return value.GetBoolean();
    }

    private TEnum? RequiredEnum<TEnum>(JsonElement element, string name, string[] allowed)
        where TEnum : struct, Enum
    {
        var text = RequiredString(element, name);
        if (text is null)
        {
            return null;
        }

        var index = Array.IndexOf(allowed, text);
        if (index < 0)
        {
            Error(name, $"'{text}' is not allowed; use one of {string.Join(", ", allowed)}");
            return null;
        }

        return Enum.GetValues<TEnum>()[index];
    }

    private void Error(string field, string reason) => _errors.Add(new CatalogError(source, field, reason));

    [GeneratedRegex("^(?=.{1,64}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex DatasetIdPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex ColumnNamePattern();
}
